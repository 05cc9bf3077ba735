#include "ab/installed_disk.h"

#include <algorithm>
#include <cctype>

#include "ab/disk_layout.h"
#include "names/names.h"

namespace macula {

namespace {

bool same_uuid(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The disks (whole-disk names, in scan order, once each) that hold a device matching `pick`.
template <class Pick>
std::vector<std::string> disks_with(std::span<const BlockDevice> devices, Pick pick) {
  std::vector<std::string> disks;
  for (const BlockDevice& d : devices)
    if (pick(d) && std::ranges::find(disks, d.disk) == disks.end()) disks.push_back(d.disk);
  return disks;
}

Result<InstalledDisk> partitions_of(std::span<const BlockDevice> devices, const std::string& disk_name) {
  InstalledDisk disk;
  disk.disk = disk_name;
  const BlockDevice* state = nullptr;
  for (const BlockDevice& d : devices) {
    if (d.disk != disk_name || !d.partition) continue;
    const std::string node = "/dev/" + d.name;
    if (d.partlabel == kEspPartition.name) disk.esp = node;
    if (d.partlabel == kSlotAPartition.name) disk.slot_a = node;
    if (d.partlabel == kSlotBPartition.name) disk.slot_b = node;
    if (d.partlabel == kStatePartition.name) state = &d;
  }
  for (auto [path, role] : {std::pair{&disk.esp, &kEspPartition}, {&disk.slot_a, &kSlotAPartition},
                            {&disk.slot_b, &kSlotBPartition}})
    if (path->empty()) return fail("no partition named " + std::string(role->name) + " on " + disk_name);
  if (!state || state->label != kStatePartition.label)
    return fail(disk_name + " holds no file system labelled " + std::string(kStatePartition.label) +
                ": its install did not finish");
  disk.state = "/dev/" + state->name;
  return disk;
}

std::string joined(const std::vector<std::string>& disks) {
  std::string out;
  for (size_t i = 0; i < disks.size(); ++i) out += (i == 0 ? "" : i + 1 == disks.size() ? " and " : ", ") + disks[i];
  return out;
}

}  // namespace

BootedFrom booted_from(std::span<const CmdlineParam> params) {
  BootedFrom from;
  if (auto slot = cmdline_value(params, kCmdlineSlot)) from.slot = parse_slot(*slot);
  from.esp_partuuid = cmdline_value(params, kCmdlineEsp).value_or("");
  return from;
}

BootedFrom booted_from_this_boot() {
  auto params = read_kernel_cmdline();
  return params ? booted_from(*params) : BootedFrom{};
}

Result<InstalledDisk> find_installed_disk(std::span<const BlockDevice> devices, std::string_view esp_partuuid) {
  if (!esp_partuuid.empty()) {
    const auto disks = disks_with(devices, [&](const BlockDevice& d) {
      return d.partition && same_uuid(d.partuuid, esp_partuuid);
    });
    if (disks.empty())
      return fail("no partition with PARTUUID " + std::string(esp_partuuid) + " (" + std::string(kCmdlineEsp) +
                  "=, the ESP GRUB booted from)");
    if (disks.size() > 1)
      return fail("the ESP GRUB booted from (PARTUUID " + std::string(esp_partuuid) + ") is on " + joined(disks) +
                  " (cloned disks?): refusing to guess");
    return partitions_of(devices, disks.front());
  }
  const auto disks = disks_with(devices, [](const BlockDevice& d) { return d.label == kStatePartition.label; });
  if (disks.empty())
    return fail("no " + std::string(kStatePartition.label) + " file system: this is not an installed MaculaOS");
  if (disks.size() > 1)
    return fail("more than one installed MaculaOS disk (" + joined(disks) + ") and no " + std::string(kCmdlineEsp) +
                "= on the kernel command line to say which one booted: refusing to guess");
  return partitions_of(devices, disks.front());
}

}  // namespace macula
