#include "ab/installed_disk.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

constexpr const char* kEspOfVda = "0b7d2a6e-5d1c-4e38-9d3a-9a1f3e0c2b11";
constexpr const char* kEspOfVdb = "5f1e8c7a-2b4d-4c6e-8a9b-0c1d2e3f4a5b";

// A disk as macula-install lays it out (ab/disk_layout.h); `state_label` is MACULAOS_NEW
// while an install is under way.
std::vector<BlockDevice> installed(const std::string& disk, const std::string& esp_uuid,
                                   const std::string& state_label = "MACULAOS_STATE") {
  auto part = [&](int n, std::string label, std::string type, std::string partlabel, std::string uuid = "") {
    return BlockDevice{disk + std::to_string(n), label, type, true, partlabel, uuid, disk};
  };
  return {BlockDevice{disk, "", "", false, "", "", disk},
          part(1, "", "", "bios-boot"),
          part(2, "MACULA_ESP", "vfat", "esp", esp_uuid),
          part(3, "MACULAOS_A", "ext4", "maculaos-a"),
          part(4, "MACULAOS_B", "ext4", "maculaos-b"),
          part(5, state_label, "ext4", "maculaos-state")};
}

std::vector<BlockDevice> both(std::vector<BlockDevice> a, const std::vector<BlockDevice>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_CASE("GRUB's macula.esp= names the disk, even with another MaculaOS disk beside it") {
  const auto devices = both(installed("vda", kEspOfVda), installed("vdb", kEspOfVdb));
  auto disk = find_installed_disk(devices, kEspOfVdb);
  REQUIRE(disk);
  CHECK(disk->disk == "vdb");
  CHECK(disk->esp == "/dev/vdb2");
  CHECK(disk->slot(Slot::a) == "/dev/vdb3");
  CHECK(disk->slot(Slot::b) == "/dev/vdb4");
  CHECK(disk->state == "/dev/vdb5");
  // GRUB prints GUIDs in lower case, as libblkid does; either case is the same partition.
  CHECK(find_installed_disk(devices, "5F1E8C7A-2B4D-4C6E-8A9B-0C1D2E3F4A5B")->disk == "vdb");
}

TEST_CASE("without macula.esp=, the one installed disk is taken and two are refused by name") {
  auto one = find_installed_disk(both(installed("vda", kEspOfVda), {{"sr0", "MACULAOS", "iso9660"}}), "");
  REQUIRE(one);
  CHECK(one->disk == "vda");

  auto two = find_installed_disk(both(installed("vda", kEspOfVda), installed("vdb", kEspOfVdb)), "");
  REQUIRE_FALSE(two);
  CHECK_THAT(two.error().message, Catch::Contains("vda and vdb") && Catch::Contains("refusing to guess"));
  CHECK(two.error().message.find('\n') == std::string::npos);
}

TEST_CASE("an interrupted install beside a complete one does not count, and is refused when named") {
  const auto devices = both(installed("vda", kEspOfVda, "MACULAOS_NEW"), installed("vdb", kEspOfVdb));
  CHECK(find_installed_disk(devices, "")->disk == "vdb");
  auto named = find_installed_disk(devices, kEspOfVda);
  REQUIRE_FALSE(named);
  CHECK_THAT(named.error().message, Catch::Contains("vda") && Catch::Contains("did not finish"));
}

TEST_CASE("a missing ESP, a missing partition, a cloned ESP: each refused, saying which") {
  auto gone = find_installed_disk(installed("vda", kEspOfVda), kEspOfVdb);
  REQUIRE_FALSE(gone);
  CHECK_THAT(gone.error().message, Catch::Contains(kEspOfVdb));

  auto devices = installed("vda", kEspOfVda);
  devices.erase(devices.begin() + 4);  // vda4, slot B
  auto partial = find_installed_disk(devices, kEspOfVda);
  REQUIRE_FALSE(partial);
  CHECK_THAT(partial.error().message, Catch::Contains("maculaos-b") && Catch::Contains("vda"));

  auto cloned = find_installed_disk(both(installed("vda", kEspOfVda), installed("vdb", kEspOfVda)), kEspOfVda);
  REQUIRE_FALSE(cloned);
  CHECK_THAT(cloned.error().message, Catch::Contains("vda and vdb"));

  CHECK_FALSE(find_installed_disk(std::vector<BlockDevice>{{"sr0", "MACULAOS", "iso9660"}}, ""));
}

TEST_CASE("the command line tells the slot and the ESP GRUB chose") {
  const BootedFrom from = booted_from(parse_cmdline_params("macula.mode=disk macula.slot=b macula.esp=" +
                                                           std::string(kEspOfVda)));
  CHECK(from.slot == Slot::b);
  CHECK(from.esp_partuuid == kEspOfVda);
  const BootedFrom live = booted_from(parse_cmdline_params("console=ttyS0 macula.esp="));
  CHECK_FALSE(live.slot);
  CHECK(live.esp_partuuid.empty());
}

}  // namespace
}  // namespace macula
