#include "config/host_name.h"

#include <algorithm>
#include <filesystem>
#include <unistd.h>
#include <vector>

#include "common/files.h"
#include "common/text_lines.h"

namespace macula {

namespace {

constexpr const char* kNetDevicesDir = "/sys/class/net";
constexpr std::string_view kBlanks = " \t\r";
// The hex digits of a MAC address after the vendor's OUI: the part a vendor numbers uniquely.
constexpr std::size_t kDeviceDigits = 6;

// The interfaces with a device behind them, sorted by name as the boot has always taken them.
std::vector<NetDevice> net_devices() {
  std::vector<NetDevice> devices;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kNetDevicesDir, ec)) {
    if (!std::filesystem::exists(entry.path() / "device", ec)) continue;
    auto address = read_file(entry.path() / "address");
    if (!address) continue;
    devices.push_back({entry.path().filename(), address->substr(0, address->find('\n'))});
  }
  std::sort(devices.begin(), devices.end(), [](const NetDevice& a, const NetDevice& b) { return a.name < b.name; });
  return devices;
}

}  // namespace

std::string configured_host_name(std::string_view etc_hostname) {
  for (std::string_view line : text_lines(etc_hostname)) {
    line = line.substr(0, line.find('#'));
    std::string name;
    for (char c : line)
      if (kBlanks.find(c) == std::string_view::npos) name += c;
    if (!name.empty()) return name;
  }
  return {};
}

std::string node_host_name(std::string_view configured, std::span<const NetDevice> devices) {
  if (!configured.empty()) return std::string(configured);
  if (devices.empty()) return "macula";
  std::string hex;
  for (char c : devices.front().mac)
    if (c != ':') hex += c;
  return "macula-" + hex.substr(hex.size() - std::min(hex.size(), kDeviceDigits));
}

std::optional<std::string> hosts_naming(std::string_view hosts, std::string_view name) {
  for (std::string_view line : text_lines(hosts)) {
    if (line.size() > name.size() && line.ends_with(name) &&
        kBlanks.find(line[line.size() - name.size() - 1]) != std::string_view::npos)
      return std::nullopt;
  }
  std::string out(hosts);
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + "127.0.1.1\t" + std::string(name) + "\n";
}

Result<std::string> set_node_host_name() {
  const std::string name =
      node_host_name(configured_host_name(read_file(kHostnamePath).value_or("")), net_devices());
  if (::sethostname(name.data(), name.size()) != 0) return fail_errno("sethostname " + name);
  auto hosts = read_file(kHostsPath);
  if (!hosts) return fail(kHostsPath, hosts.error());
  if (auto named = hosts_naming(*hosts, name))
    if (auto r = write_file_atomic(kHostsPath, *named, 0644); !r) return fail(r.error());
  return name;
}

}  // namespace macula
