#include "init/boot_media.h"

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

TEST_CASE("slots are found by partlabel, on the disk that holds the state") {
  const std::vector<BlockDevice> devices{
      {"sda3", "MACULAOS_A", "ext4", true, "maculaos-a", "sda"},       // another MaculaOS disk
      {"nvme0n1p3", "MACULAOS_A", "ext4", true, "maculaos-a", "nvme0n1"},
      {"nvme0n1p4", "MACULAOS_B", "ext4", true, "maculaos-b", "nvme0n1"},
      {"nvme0n1p5", "MACULAOS_STATE", "ext4", true, "maculaos-state", "nvme0n1"},
  };
  const auto state = find_state(devices);
  REQUIRE(state);
  CHECK(state->name == "nvme0n1p5");
  CHECK(find_slot(devices, Slot::a, state)->name == "nvme0n1p3");
  CHECK(find_slot(devices, Slot::b, state)->name == "nvme0n1p4");
  CHECK(find_slot(devices, Slot::a, std::nullopt)->name == "sda3");
  CHECK_FALSE(find_slot(std::vector<BlockDevice>{{"sr0", "MACULAOS", "iso9660"}}, Slot::a, std::nullopt));
  CHECK(slot_partlabel(Slot::b) == "maculaos-b");
}

TEST_CASE("the mode: the command line wins, else the state partition decides") {
  const std::vector<BlockDevice> installed{{"vda5", "MACULAOS_STATE", "ext4", true}};
  const std::vector<BlockDevice> live{{"sr0", "MACULAOS", "iso9660", false}};
  BootConfig auto_mode;
  CHECK(choose_mode(auto_mode, installed) == Mode::disk);
  CHECK(choose_mode(auto_mode, live) == Mode::live);
  CHECK(choose_mode(auto_mode, {}) == Mode::live);
  BootConfig shell;
  shell.mode = Mode::shell;
  CHECK(choose_mode(shell, installed) == Mode::shell);
}

}  // namespace
}  // namespace macula
