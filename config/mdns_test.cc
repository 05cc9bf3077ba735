#include "config/mdns.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("the mDNS services name the node's version, k3s role and mesh realm") {
  const std::string xml = mdns_services(parsed("maculaos:\n  mesh:\n    realm: com.example.edge\n"), "agent", "1.2.0");
  CHECK(xml.find("<name replace-wildcards=\"yes\">MaculaOS on %h</name>") != std::string::npos);
  CHECK(xml.find("<type>_macula._tcp</type>\n    <port>6443</port>\n    <txt-record>version=1.2.0</txt-record>\n"
                 "    <txt-record>role=agent</txt-record>\n    <txt-record>realm=com.example.edge</txt-record>") !=
        std::string::npos);
  CHECK(xml.find("<type>_http._tcp</type>\n    <port>80</port>") != std::string::npos);
  CHECK(xml.find("<type>_ssh._tcp</type>\n    <port>22</port>") != std::string::npos);
  CHECK(mdns_services(parsed("{}"), "server", "1").find("realm=io.macula") != std::string::npos);
}

}  // namespace
}  // namespace macula
