// The node's host name: the one /etc/hostname names (the config's `hostname`, which the boot
// stage writes there), else macula-XXXXXX from the last six hex digits of the first network
// interface's MAC address, so that nodes booted from the same image get different names (for
// DHCP, mDNS and k3s). Six digits are the MAC's whole device part, which a vendor numbers
// uniquely: a fleet of one model never repeats a name (four digits, 16 bits, repeated within
// a few hundred nodes). The boot stage of `maculaos config apply` sets it, and again whenever it
// runs (the network stage, when the network brought a new config).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

// The configured name (the boot stage writes the config's `hostname` there), and the file the
// node's own name must resolve in.
inline constexpr const char* kHostnamePath = "/etc/hostname";
inline constexpr const char* kHostsPath = "/etc/hosts";

// A network interface with a device behind it (not lo, bridges or veth), by its MAC address.
struct NetDevice {
  std::string name;
  std::string mac;  // "52:54:00:12:34:56"
};

// The name /etc/hostname's text gives: its first line without comments and blanks (empty: none).
std::string configured_host_name(std::string_view etc_hostname);

// configured, if not empty; else macula-XXXXXX of the first device by name; else "macula".
std::string node_host_name(std::string_view configured, std::span<const NetDevice> devices);

// /etc/hosts' text with "127.0.1.1\tNAME" added (Debian's convention, so that the host's own
// name resolves: sudo looks it up), or nothing when a line already ends with the name.
std::optional<std::string> hosts_naming(std::string_view hosts, std::string_view name);

// Works the name out on this machine (/etc/hostname, /sys/class/net), sets it and adds it to
// /etc/hosts; returns it.
Result<std::string> set_node_host_name();

}  // namespace macula
