// What `maculaos sysinfo` shows beside the logo at an interactive login (fastfetch's job; it
// is not in Debian 12): one line per fact. Pure: the facts in, the text out.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace macula {

struct SystemFacts {
  std::string os;              // PRETTY_NAME of /etc/os-release: MaculaOS 0.1.0 (lite)
  std::string boot_mode;       // boot.json's mode: live, disk, ...
  std::string slot;            // boot.json's slot (a, b) when installed
  std::string kernel;          // uname -r
  std::chrono::seconds uptime{0};
  std::uint64_t memory_total = 0, memory_available = 0;  // bytes
  std::uint64_t disk_total = 0, disk_available = 0;      // bytes, of the state (/var)
  std::vector<std::string> addresses;
  std::string hostname;
  std::vector<std::string> mesh_roles;  // peer, bootstrap, gateway: the ones on
  std::string realm;
  std::string k3s;  // "running (k3s version ...)", "stopped", "not installed (...)"
  // upgrade/auto_check.h's line for the last check ("0.2.0 is available (stable), ..."); empty
  // when none was kept or the release is not newer: no Update line then
  std::string update{};
};

// "  Label: value" lines, labels aligned; a fact not known shows as "unknown".
std::string sysinfo_text(const SystemFacts& facts);

// The same facts as one JSON object (docs/json-output.md): numbers in bytes and seconds, a fact
// not known as "" (or 0).
std::string sysinfo_json(const SystemFacts& facts);

// "1 d 2 h 5 min", "3 h 0 min", "4 min".
std::string uptime_text(std::chrono::seconds uptime);
// "312 MiB of 1.9 GiB used" (total 0: unknown).
std::string usage_text(std::uint64_t total, std::uint64_t available);
// The value of KEY= in a file of shell-style KEY=VALUE lines (/etc/os-release, mesh.env), its
// quotes removed; empty when absent.
std::string env_value(std::string_view text, std::string_view key);
// The number of /proc/meminfo's line for key ("MemAvailable": kB), in bytes; 0 when absent.
std::uint64_t meminfo_bytes(std::string_view text, std::string_view key);

}  // namespace macula
