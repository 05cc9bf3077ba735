#include "init/boot_media.h"

#include <algorithm>

namespace macula {

namespace {

int rank(const BlockDevice& d) {
  if (d.type == "iso9660") return d.partition ? 1 : 0;
  return 2;
}

}  // namespace

std::vector<BlockDevice> media_candidates(std::span<const BlockDevice> devices,
                                          std::string_view label) {
  std::vector<BlockDevice> out;
  for (const BlockDevice& d : devices)
    if (d.label == label && d.type != "hfsplus" && d.type != "hfs") out.push_back(d);
  std::ranges::stable_sort(out, {}, rank);
  return out;
}

bool any_labelled(std::span<const BlockDevice> devices, std::string_view label) {
  return std::ranges::any_of(devices, [&](const BlockDevice& d) { return d.label == label; });
}

Mode choose_mode(const BootConfig& config, std::span<const BlockDevice> devices) {
  if (config.mode) return *config.mode;
  return any_labelled(devices, kStateLabel) ? Mode::disk : Mode::live;
}

}  // namespace macula
