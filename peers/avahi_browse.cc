#include "peers/avahi_browse.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "common/json.h"
#include "common/text_lines.h"
#include "config/mdns.h"

namespace macula {

namespace {

// avahi's label escaping: \DDD (a decimal byte) and \C (C itself).
std::string unescaped(std::string_view field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 >= field.size()) {
      out += field[i];
    } else if (i + 3 < field.size() && std::isdigit(static_cast<unsigned char>(field[i + 1])) &&
               std::isdigit(static_cast<unsigned char>(field[i + 2])) &&
               std::isdigit(static_cast<unsigned char>(field[i + 3]))) {
      out += static_cast<char>((field[i + 1] - '0') * 100 + (field[i + 2] - '0') * 10 + (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[++i];
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> fields;
  for (std::size_t at = 0;;) {
    const std::size_t end = line.find(separator, at);
    fields.push_back(line.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    if (end == std::string_view::npos) return fields;
    at = end + 1;
  }
}

// The value of KEY=VALUE among the quoted TXT records.
std::string txt_value(std::string_view records, std::string_view key) {
  const std::string wanted = "\"" + std::string(key) + "=";
  const std::size_t at = records.find(wanted);
  if (at == std::string_view::npos) return "";
  const std::size_t start = at + wanted.size();
  return std::string(records.substr(start, records.find('"', start) - start));
}

// What came from the LAN, fit for a terminal: a control character or a byte past ASCII (an
// escape sequence, C1 controls) as \xHH, a backslash as \\; any host can announce anything.
std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\\')
      out += "\\\\";
    else if (byte >= 0x20 && byte < 0x7f)
      out += c;
    else
      out += std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xf];
  }
  return out;
}

}  // namespace

std::vector<Peer> parse_avahi_browse(std::string_view text) {
  std::vector<Peer> peers;
  for (std::string_view line : text_lines(text)) {
    // =;IFACE;PROTO;NAME;TYPE;DOMAIN;HOST;ADDRESS;PORT;TXT
    const auto fields = split(line, ';');
    if (fields.size() < 10 || fields[0] != "=" || fields[4] != kMaculaServiceType) continue;
    const std::string host = unescaped(fields[6]);
    const std::string address = std::string(fields[7]);
    auto peer = std::find_if(peers.begin(), peers.end(), [&](const Peer& p) { return p.host == host; });
    if (peer == peers.end()) {
      peers.push_back({host, {}, txt_value(fields[9], "version"), txt_value(fields[9], "role"), txt_value(fields[9], "realm")});
      peer = peers.end() - 1;
    }
    if (std::find(peer->addresses.begin(), peer->addresses.end(), address) != peer->addresses.end()) continue;
    if (fields[2] == "IPv4")
      peer->addresses.insert(std::find_if(peer->addresses.begin(), peer->addresses.end(),
                                          [](const std::string& a) { return a.find(':') != std::string::npos; }),
                             address);
    else
      peer->addresses.push_back(address);
  }
  std::sort(peers.begin(), peers.end(), [](const Peer& a, const Peer& b) { return a.host < b.host; });
  return peers;
}

std::string peers_table(const std::vector<Peer>& peers) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-28s %-16s %-12s %-8s %s\n", "NAME", "ADDRESS", "VERSION", "ROLE", "REALM");
  out += line;
  for (const Peer& p : peers) {
    const std::string fields[] = {printable(p.host), printable(p.addresses.empty() ? "-" : p.addresses.front()),
                                  printable(p.version), printable(p.role), printable(p.realm)};
    std::snprintf(line, sizeof line, "%-28s %-16s %-12s %-8s %s\n", fields[0].c_str(), fields[1].c_str(),
                  fields[2].c_str(), fields[3].c_str(), fields[4].c_str());
    out += line;
  }
  return out;
}

std::string peers_json(const std::vector<Peer>& peers) {
  std::string out = "[";
  for (std::size_t i = 0; i < peers.size(); ++i) {
    JsonObject peer;
    peer.add("name", peers[i].host).add("addresses", peers[i].addresses);
    peer.add("version", peers[i].version).add("role", peers[i].role).add("realm", peers[i].realm);
    out += (i ? ",\n  " : "\n  ") + peer.str(2);
  }
  return out + (peers.empty() ? "]\n" : "\n]\n");
}

}  // namespace macula
