#include "ab/disk_layout.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

void check_well_formed(const DiskLayout& l) {
  REQUIRE(l.partitions.size() == 5);
  std::uint64_t previous_end = 0;
  for (const PartitionPlan& p : l.partitions) {
    CHECK(p.offset % kMiB == 0);
    CHECK(p.size % kMiB == 0);
    CHECK(p.offset >= previous_end);
    CHECK(p.offset >= kMiB);  // the primary GPT
    previous_end = p.offset + p.size;
  }
  CHECK(previous_end + 33 * 512 <= l.disk_size);  // the backup GPT
}

TEST_CASE("a 4 GiB disk with 1 GiB slots") {
  auto l = plan_layout(4 * kGiB, 1 * kGiB);
  REQUIRE(l);
  check_well_formed(*l);
  const auto& p = l->partitions;
  CHECK(p[0].name == "bios-boot");
  CHECK(p[0].offset == kMiB);
  CHECK(p[1].name == "esp");
  CHECK(p[1].filesystem == "vfat");
  CHECK(p[2].name == "maculaos-a");
  CHECK(p[2].label == "MACULAOS_A");
  CHECK(p[2].size == kGiB);
  CHECK(p[3].name == "maculaos-b");
  CHECK(p[3].offset == p[2].offset + kGiB);
  CHECK(p[4].name == "maculaos-state");
  CHECK(p[4].label == "MACULAOS_STATE");
  // the state takes the rest, up to the last whole MiB before the backup GPT
  CHECK(p[4].offset + p[4].size == 4 * kGiB - kMiB);
}

TEST_CASE("layouts for several disk sizes stay well formed") {
  for (std::uint64_t size : {minimum_disk_size(kGiB), 8 * kGiB, 64 * kGiB + 12345, 2000 * kGiB}) {
    auto l = plan_layout(size, kGiB);
    REQUIRE(l);
    check_well_formed(*l);
    CHECK(l->partitions[4].size >= kMinStateSize);
  }
}

TEST_CASE("a disk below the minimum is refused, naming both sizes") {
  auto l = plan_layout(minimum_disk_size(kGiB) - 1, kGiB);
  REQUIRE_FALSE(l);
  CHECK_THAT(l.error().message, Catch::Contains("too small") && Catch::Contains("2.57 GiB"));
  auto tiny = plan_layout(64 * kMiB, kGiB);
  REQUIRE_FALSE(tiny);
  CHECK_THAT(tiny.error().message, Catch::StartsWith("disk of 64 MiB is too small"));
}

TEST_CASE("slot sizes: default from the payload, bounds on a given one") {
  CHECK(default_slot_size(60 * kMiB) == kGiB);
  CHECK(default_slot_size(700 * kMiB) == 1536 * kMiB);
  CHECK_FALSE(plan_layout(8 * kGiB, 100 * kMiB));
  CHECK_FALSE(plan_layout(8 * kGiB, kGiB + 1));
}

TEST_CASE("the sfdisk script names every partition, in sectors") {
  auto l = plan_layout(4 * kGiB, kGiB);
  REQUIRE(l);
  const std::string s = sfdisk_script(*l);
  CHECK_THAT(s, Catch::StartsWith("label: gpt\n"));
  CHECK_THAT(s, Catch::Contains("start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649, name=\"bios-boot\""));
  CHECK_THAT(s, Catch::Contains("name=\"maculaos-state\""));
}

TEST_CASE("the state grows to where the layout of the larger disk ends it") {
  const auto image = plan_layout(4 * kGiB, 1 * kGiB);
  REQUIRE(image);
  const PartitionPlan& state = image->partitions.back();
  const auto bigger = plan_layout(8 * kGiB, 1 * kGiB);
  REQUIRE(bigger);
  CHECK(grown_state_size(8 * kGiB, state.offset, state.size) == bigger->partitions.back().size);
  // the image's own disk, a disk a little larger, a state that already fills the disk
  CHECK_FALSE(grown_state_size(4 * kGiB, state.offset, state.size));
  CHECK_FALSE(grown_state_size(4 * kGiB + kMinStateGrowth - kMiB, state.offset, state.size));
  CHECK(grown_state_size(4 * kGiB + kMinStateGrowth, state.offset, state.size) == state.size + kMinStateGrowth);
  CHECK_FALSE(grown_state_size(8 * kGiB, state.offset, bigger->partitions.back().size));
  // a disk smaller than the partition's start (a wrong size read): nothing, never a wrap
  CHECK_FALSE(grown_state_size(state.offset, state.offset, state.size));
  CHECK_FALSE(grown_state_size(0, state.offset, state.size));
}

TEST_CASE("sizes parse and print") {
  CHECK(parse_size("2G").value() == 2 * kGiB);
  CHECK(parse_size("1536MiB").value() == 1536 * kMiB);
  CHECK(parse_size("4096").value() == 4096);
  CHECK(parse_size("2T").value() == 2048 * kGiB);
  for (const char* bad : {"", "G", "2P", "-1G", "0", "1.5G"}) {
    auto r = parse_size(bad);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains(std::string("'") + bad + "'"));
  }
  CHECK(format_size(64 * kMiB) == "64 MiB");
  CHECK(format_size(4 * kGiB) == "4.0 GiB");
  CHECK(format_size(1536 * kMiB) == "1.5 GiB");
  CHECK(format_size(100) == "100 bytes");
}

}  // namespace
}  // namespace macula
