#include "sysinfo/sysinfo_report.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/json.h"
#include "common/text_lines.h"

namespace macula {

namespace {

std::string size_text(std::uint64_t bytes) {
  char text[32];
  if (bytes >= (1ull << 30)) std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1ull << 30));
  else std::snprintf(text, sizeof text, "%llu MiB", static_cast<unsigned long long>(bytes >> 20));
  return text;
}

std::string joined(const std::vector<std::string>& words, const char* separator) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : separator) + word;
  return text;
}

std::string or_unknown(const std::string& text) { return text.empty() ? "unknown" : text; }

}  // namespace

std::string uptime_text(std::chrono::seconds uptime) {
  const long long minutes = uptime.count() / 60, hours = minutes / 60, days = hours / 24;
  std::string text;
  if (days) text += std::to_string(days) + " d ";
  if (hours) text += std::to_string(hours % 24) + " h ";
  return text + std::to_string(minutes % 60) + " min";
}

std::string usage_text(std::uint64_t total, std::uint64_t available) {
  if (total == 0) return "unknown";
  const std::uint64_t used = available < total ? total - available : 0;
  return size_text(used) + " of " + size_text(total) + " used";
}

std::string env_value(std::string_view text, std::string_view key) {
  for (std::string_view line : text_lines(text)) {
    if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != '=') continue;
    std::string_view value = line.substr(key.size() + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return {};
}

std::uint64_t meminfo_bytes(std::string_view text, std::string_view key) {
  for (std::string_view line : text_lines(text)) {
    if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != ':') continue;
    line.remove_prefix(key.size() + 1);
    line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
    std::uint64_t kib = 0;
    std::from_chars(line.data(), line.data() + line.size(), kib);
    return kib * 1024;
  }
  return 0;
}

std::string sysinfo_json(const SystemFacts& f) {
  auto bytes = [](std::uint64_t n) { return static_cast<std::int64_t>(n); };
  JsonObject memory, disk;
  memory.add("total_bytes", bytes(f.memory_total)).add("available_bytes", bytes(f.memory_available));
  disk.add("path", "/var").add("total_bytes", bytes(f.disk_total)).add("available_bytes", bytes(f.disk_available));
  JsonObject out;
  out.add("os", f.os).add("hostname", f.hostname).add("boot_mode", f.boot_mode).add("slot", f.slot).add("kernel", f.kernel);
  out.add("uptime_seconds", static_cast<std::int64_t>(f.uptime.count())).add("memory", memory).add("disk", disk);
  out.add("addresses", f.addresses).add("mesh_roles", f.mesh_roles).add("realm", f.realm).add("k3s", f.k3s);
  out.add("update", f.update);
  return out.str() + "\n";
}

std::string sysinfo_text(const SystemFacts& f) {
  std::string boot = or_unknown(f.boot_mode);
  if (!f.slot.empty()) boot += ", slot " + f.slot;
  const std::pair<const char*, std::string> lines[] = {
      {"OS", or_unknown(f.os)},
      {"Host", or_unknown(f.hostname) + (f.hostname.empty() ? "" : " (http://" + f.hostname + ".local)")},
      {"Boot", boot},
      {"Kernel", or_unknown(f.kernel)},
      {"Uptime", uptime_text(f.uptime)},
      {"Memory", usage_text(f.memory_total, f.memory_available)},
      {"Disk", usage_text(f.disk_total, f.disk_available)},
      {"Address", f.addresses.empty() ? "none" : joined(f.addresses, ", ")},
      {"Mesh", (f.mesh_roles.empty() ? "no role" : joined(f.mesh_roles, ", ")) + " in " + or_unknown(f.realm)},
      {"k3s", or_unknown(f.k3s)},
  };
  std::string text;
  const auto line = [&](const char* label, const std::string& value) {
    char head[16];
    std::snprintf(head, sizeof head, "%8s: ", label);
    text += head + value + "\n";
  };
  for (const auto& [label, value] : lines) line(label, value);
  if (!f.update.empty()) line("Update", f.update + " (sudo maculaos upgrade --apply --reboot)");
  return text;
}

}  // namespace macula
