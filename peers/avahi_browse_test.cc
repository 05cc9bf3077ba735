#include "peers/avahi_browse.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

// What avahi-browse -rtp printed with two nodes on the LAN (one seen over IPv6 and IPv4),
// and another service type among them.
constexpr std::string_view kBrowsed =
    "+;eth0;IPv6;MaculaOS\\032on\\032node-b;_macula._tcp;local\n"
    "=;eth0;IPv6;MaculaOS\\032on\\032node-b;_macula._tcp;local;node-b.local;fe80::5054:ff:fe12:3402;6443;"
    "\"realm=io.macula\" \"role=agent\" \"version=1.2.0\"\n"
    "=;eth0;IPv4;MaculaOS\\032on\\032node-b;_macula._tcp;local;node-b.local;10.0.3.12;6443;"
    "\"realm=io.macula\" \"role=agent\" \"version=1.2.0\"\n"
    "=;eth0;IPv4;MaculaOS\\032on\\032node-a;_macula._tcp;local;node-a.local;10.0.3.11;6443;"
    "\"realm=com.example\" \"role=server\" \"version=1.3.0\"\n"
    "=;eth0;IPv4;MaculaOS\\032on\\032node-a;_ssh._tcp;local;node-a.local;10.0.3.11;22;\n"
    "=;eth0;IPv4;broken;_macula._tcp\n";

TEST_CASE("avahi-browse's resolved _macula._tcp lines become one peer per host") {
  const auto peers = parse_avahi_browse(kBrowsed);
  REQUIRE(peers.size() == 2);
  CHECK(peers[0].host == "node-a.local");
  CHECK(peers[0].addresses == std::vector<std::string>{"10.0.3.11"});
  CHECK(peers[0].role == "server");
  CHECK(peers[0].realm == "com.example");
  CHECK(peers[0].version == "1.3.0");
  CHECK(peers[1].host == "node-b.local");
  CHECK(peers[1].addresses == std::vector<std::string>{"10.0.3.12", "fe80::5054:ff:fe12:3402"});
  CHECK(peers[1].role == "agent");
}

TEST_CASE("the peers table and JSON") {
  const auto peers = parse_avahi_browse(kBrowsed);
  const std::string table = peers_table(peers);
  CHECK(table.starts_with("NAME "));
  CHECK(table.find("node-b.local                 10.0.3.12        1.2.0        agent    io.macula\n") != std::string::npos);
  const std::string json = peers_json(peers);
  CHECK(json.find("\"name\": \"node-a.local\"") != std::string::npos);
  CHECK(json.find("\"addresses\": [") != std::string::npos);
  CHECK(peers_json({}) == "[]\n");
  CHECK(parse_avahi_browse("").empty());
}

TEST_CASE("what a host announces reaches the terminal escaped: no escape sequence, no control character") {
  // \027 is ESC in avahi's escaping: a title change and a screen clear in the name, a bell and
  // a C1 CSI in the TXT records
  const auto peers = parse_avahi_browse(
      "=;eth0;IPv4;x;_macula._tcp;local;evil\\027]0\\059pwned\\007\\027[2J.local;10.0.3.66;6443;"
      "\"realm=a\x07" "b\" \"role=\xc2\x9b" "31m\" \"version=1\"\n");
  REQUIRE(peers.size() == 1);
  CHECK(peers[0].host == "evil\x1b]0;pwned\x07\x1b[2J.local");  // kept as announced
  const std::string table = peers_table(peers);
  CHECK(table.find_first_of("\x1b\x07\x9b\xc2") == std::string::npos);
  CHECK(table.find("evil\\x1b]0;pwned\\x07\\x1b[2J.local") != std::string::npos);
  CHECK(table.find("a\\x07b") != std::string::npos);
  CHECK(table.find("\\xc2\\x9b31m") != std::string::npos);
  // the JSON escapes its own way: no raw control character either
  CHECK(peers_json(peers).find_first_of("\x1b\x07") == std::string::npos);
}

}  // namespace
}  // namespace macula
