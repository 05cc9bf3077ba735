// The MaculaOS nodes on the LAN, as avahi-browse sees them: `avahi-browse --resolve
// --terminate --parsable _macula._tcp` prints one '=' line per resolved service, interface and
// address family:
//   =;eth0;IPv4;MaculaOS\032on\032node-1;_macula._tcp;local;node-1.local;10.0.2.15;6443;"role=server" "version=1.0"
// (';'-separated; names escaped as DNS labels, \DDD a decimal byte; TXT records quoted).
// Pure: the text in, one peer per host out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace macula {

struct Peer {
  std::string host;                    // "node-1.local"
  std::vector<std::string> addresses;  // IPv4 first, in the order seen
  std::string version, role, realm;    // from the TXT records ("" when absent)
};

// The peers, sorted by host; lines that are not resolved services of ours are skipped.
std::vector<Peer> parse_avahi_browse(std::string_view text);

// `maculaos peers`' table (what the LAN announced, its control characters and bytes past ASCII
// shown as \xHH: no escape sequence reaches the terminal), and its --json array.
std::string peers_table(const std::vector<Peer>& peers);
std::string peers_json(const std::vector<Peer>& peers);

}  // namespace macula
