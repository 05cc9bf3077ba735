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

std::string slot_partlabel(Slot slot) { return "maculaos-" + std::string(to_string(slot)); }

std::optional<BlockDevice> find_state(std::span<const BlockDevice> devices) {
  for (const BlockDevice& d : devices)
    if (d.label == kStateLabel) return d;
  return std::nullopt;
}

std::optional<BlockDevice> find_slot(std::span<const BlockDevice> devices, Slot slot,
                                     const std::optional<BlockDevice>& state) {
  const std::string wanted = slot_partlabel(slot);
  std::optional<BlockDevice> found;
  for (const BlockDevice& d : devices) {
    if (!d.partition || d.partlabel != wanted) continue;
    if (state && d.disk == state->disk) return d;
    if (!found) found = d;
  }
  return found;
}

Mode choose_mode(const BootConfig& config, std::span<const BlockDevice> devices) {
  if (config.mode) return *config.mode;
  return any_labelled(devices, kStateLabel) ? Mode::disk : Mode::live;
}

}  // namespace macula
