#include "init/boot_mode.h"

#include "names/names.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

std::vector<std::string> names(const std::vector<BlockDevice>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(d.name);
  return out;
}

TEST_CASE("a hybrid ISO on a USB stick: the whole disk first, never the HFS+ copy") {
  const std::vector<BlockDevice> devices{
      {"sda", "", "", false},                  // the node's own disk
      {"sdb2", "MACULAOS", "hfsplus", true},   // grub-mkrescue's HFS+ copy
      {"sdb1", "MACULAOS", "iso9660", true},
      {"sdb3", "ESP", "vfat", true},
      {"sdb", "MACULAOS", "iso9660", false},
  };
  CHECK(names(media_candidates(devices, kMediaLabel)) == std::vector<std::string>{"sdb", "sdb1"});
}

TEST_CASE("a CD-ROM, and other file systems after iso9660") {
  const std::vector<BlockDevice> devices{
      {"vdb1", "MACULAOS", "vfat", true},
      {"sr0", "MACULAOS", "iso9660", false},
  };
  CHECK(names(media_candidates(devices, kMediaLabel)) == std::vector<std::string>{"sr0", "vdb1"});
  CHECK(media_candidates(devices, "OTHER").empty());
}

TEST_CASE("an installed boot waits for the disk GRUB booted from, whole, and for its slot") {
  const std::vector<BlockDevice> other_disk{
      {"sda3", "MACULAOS_A", "ext4", true, "maculaos-a", "", "sda"},  // another MaculaOS disk
      {"sda5", "MACULAOS_STATE", "ext4", true, "maculaos-state", "", "sda"},
  };
  std::vector<BlockDevice> devices = other_disk;
  devices.push_back({"nvme0n1p2", "MACULA_ESP", "vfat", true, "esp", "c0ffee00-0000-4000-8000-000000000001", "nvme0n1"});
  devices.push_back({"nvme0n1p3", "MACULAOS_A", "ext4", true, "maculaos-a", "", "nvme0n1"});
  devices.push_back({"nvme0n1p4", "MACULAOS_B", "ext4", true, "maculaos-b", "", "nvme0n1"});
  BootConfig disk;
  disk.mode = BootMode::disk;
  disk.slot = Slot::b;
  disk.esp = "c0ffee00-0000-4000-8000-000000000001";
  CHECK_FALSE(found_what_mode_needs(disk, devices));  // its state partition has not appeared yet
  devices.push_back({"nvme0n1p5", "MACULAOS_STATE", "ext4", true, "maculaos-state", "", "nvme0n1"});
  CHECK(found_what_mode_needs(disk, devices));
  CHECK_FALSE(found_what_mode_needs(disk, other_disk));
  disk.slot.reset();  // no macula.slot=: nothing to wait for that could help
  CHECK_FALSE(found_what_mode_needs(disk, devices));
}

TEST_CASE("a live boot waits for the media: without a mode, media or an installed disk will do") {
  const std::vector<BlockDevice> live{{"sr0", "MACULAOS", "iso9660", false}};
  const std::vector<BlockDevice> installed{{"vda5", "MACULAOS_STATE", "ext4", true}};
  BootConfig live_mode;
  live_mode.mode = BootMode::live;
  CHECK(found_what_mode_needs(live_mode, live));
  CHECK_FALSE(found_what_mode_needs(live_mode, installed));
  const BootConfig detected;
  CHECK(found_what_mode_needs(detected, live));
  CHECK(found_what_mode_needs(detected, installed));
  CHECK_FALSE(found_what_mode_needs(detected, {}));
}

TEST_CASE("the mode: the command line wins, else the state partition decides") {
  const std::vector<BlockDevice> installed{{"vda5", "MACULAOS_STATE", "ext4", true}};
  const std::vector<BlockDevice> live{{"sr0", "MACULAOS", "iso9660", false}};
  BootConfig auto_mode;
  CHECK(choose_mode(auto_mode, installed) == BootMode::disk);
  CHECK(choose_mode(auto_mode, live) == BootMode::live);
  CHECK(choose_mode(auto_mode, {}) == BootMode::live);
  BootConfig shell;
  shell.mode = BootMode::shell;
  CHECK(choose_mode(shell, installed) == BootMode::shell);
}

}  // namespace
}  // namespace macula
