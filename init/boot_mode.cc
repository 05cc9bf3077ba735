#include "init/boot_mode.h"

#include <algorithm>

#include "ab/disk_layout.h"
#include "ab/installed_disk.h"
#include "names/names.h"

namespace macula {

namespace {

int rank(const BlockDevice& d) {
  if (d.type == "iso9660") return d.partition ? 1 : 0;
  return 2;
}

bool any_installed_state(std::span<const BlockDevice> devices) {
  return std::ranges::any_of(devices, [](const BlockDevice& d) { return d.label == kStatePartition.label; });
}

}  // namespace

std::vector<BlockDevice> media_candidates(std::span<const BlockDevice> devices, std::string_view label) {
  std::vector<BlockDevice> out;
  for (const BlockDevice& d : devices)
    if (d.label == label && d.type != "hfsplus" && d.type != "hfs") out.push_back(d);
  std::ranges::stable_sort(out, {}, rank);
  return out;
}

bool live_media_found(std::span<const BlockDevice> devices) {
  return !media_candidates(devices, kMediaLabel).empty();
}

bool installed_disk_found(const BootConfig& config, std::span<const BlockDevice> devices) {
  return config.slot && find_installed_disk(devices, config.esp).has_value();
}

bool found_what_mode_needs(const BootConfig& config, std::span<const BlockDevice> devices) {
  if (!config.mode) return live_media_found(devices) || any_installed_state(devices);
  switch (*config.mode) {
    case BootMode::live:
    case BootMode::install: return live_media_found(devices);
    case BootMode::disk:
    case BootMode::recovery: return installed_disk_found(config, devices);
    case BootMode::shell: return true;  // the shell needs nothing
  }
  return true;
}

BootMode choose_mode(const BootConfig& config, std::span<const BlockDevice> devices) {
  if (config.mode) return *config.mode;
  return any_installed_state(devices) ? BootMode::disk : BootMode::live;
}

}  // namespace macula
