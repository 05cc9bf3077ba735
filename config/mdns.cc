#include "config/mdns.h"

#include "config/mesh.h"

namespace macula {

namespace {

// XML text content: the realm comes from the config (the schema takes reverse-DNS names, so
// this is belt and braces).
std::string xml_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string service(std::string_view type, int port, std::initializer_list<std::string> txt) {
  std::string out = "  <service>\n    <type>" + std::string(type) + "</type>\n    <port>" + std::to_string(port) + "</port>\n";
  for (const std::string& record : txt) out += "    <txt-record>" + xml_escaped(record) + "</txt-record>\n";
  return out + "  </service>\n";
}

}  // namespace

std::string mdns_services(const ConfigNode& config, std::string_view k3s_mode, std::string_view version) {
  return "<?xml version=\"1.0\" standalone='no'?>\n"
         "<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n"
         "<!-- written by maculaos config apply from the node config: edits are replaced -->\n"
         "<service-group>\n"
         "  <name replace-wildcards=\"yes\">MaculaOS on %h</name>\n" +
         service(kMaculaServiceType, kMaculaServicePort,
                 {"version=" + std::string(version), "role=" + std::string(k3s_mode), "realm=" + mesh_realm(config)}) +
         service("_http._tcp", 80, {"path=/"}) + service("_ssh._tcp", 22, {}) + "</service-group>\n";
}

}  // namespace macula
