// What the node announces on its LAN by mDNS (avahi-daemon reads /etc/avahi/services): the
// node itself as _macula._tcp on k3s's API port, with TXT records `maculaos peers` lists, its
// web page as _http._tcp and its SSH server as _ssh._tcp. avahi answers for <hostname>.local
// on its own. Pure: the merged config in, the service file's text out.
#pragma once

#include <string>
#include <string_view>

#include "config/config_tree.h"

namespace macula {

inline constexpr const char* kMdnsServicesPath = "/etc/avahi/services/maculaos.service";
// The service type of a MaculaOS node, and the port it is announced with (k3s's API).
inline constexpr const char* kMaculaServiceType = "_macula._tcp";
inline constexpr int kMaculaServicePort = 6443;

// The avahi service group: _macula._tcp on 6443 with TXT version=VERSION, role=server|agent
// (the k3s mode) and realm=REALM (the mesh realm), _http._tcp on 80, _ssh._tcp on 22; named
// "MaculaOS on <hostname>" (avahi fills in %h).
std::string mdns_services(const ConfigNode& config, std::string_view k3s_mode, std::string_view version);

}  // namespace macula
