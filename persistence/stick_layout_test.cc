#include "persistence/stick_layout.h"

#include <catch2/catch.hpp>

#include "ab/disk_layout.h"

namespace macula {
namespace {

using Catch::Matchers::Contains;

void put_le(std::string& bytes, std::size_t at, std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) bytes[at + i] = static_cast<char>(value >> (8 * i) & 0xff);
}

// The first bytes of an image as grub-mkrescue lays it out: protective MBR, GPT header at
// sector 1, ISO 9660 primary volume descriptor at 32 KiB.
std::string image_head(std::string_view volume_id, std::uint64_t iso_blocks, std::uint64_t gpt_backup_lba) {
  std::string head(kImageHeadSize, '\0');
  if (gpt_backup_lba) {
    head.replace(512, 8, "EFI PART");
    put_le(head, 512 + 32, gpt_backup_lba, 8);
  }
  std::string pvd = std::string("\x01" "CD001\x01", 7);
  head.replace(0x8000, pvd.size(), pvd);
  std::string id(volume_id);
  id.resize(32, ' ');
  head.replace(0x8000 + 40, 32, id);
  put_le(head, 0x8000 + 80, iso_blocks, 4);
  put_le(head, 0x8000 + 128, 2048, 2);
  return head;
}

TEST_CASE("the image ends at the further of its ISO volume and its backup GPT") {
  CHECK(image_end(image_head("MACULAOS", 58583, 234331), "/dev/sda").value() == 234332 * 512);
  CHECK(image_end(image_head("MACULAOS", 60000, 234331), "/dev/sda").value() == 60000 * 2048);
  CHECK(image_end(image_head("MACULAOS", 60000, 0), "/dev/sda").value() == 60000 * 2048);
}

TEST_CASE("a stick that is not ours is named and refused") {
  auto other = image_end(image_head("DEBIAN_LIVE", 1000, 0), "/dev/sdb");
  REQUIRE_FALSE(other);
  CHECK_THAT(other.error().text(), Contains("/dev/sdb: no MaculaOS image"));
  CHECK_FALSE(image_end(std::string(kImageHeadSize, '\0'), "/dev/sdb"));
  CHECK_FALSE(image_end(image_head("MACULAOS", 1000, 0).substr(0, 0x8000), "/dev/sdb"));
}

// Partition table entry `index` of the MBR in head: type, first sector, sector count.
void put_mbr_entry(std::string& head, std::size_t index, unsigned char type, std::uint64_t first, std::uint64_t count) {
  const std::size_t at = 446 + index * 16;
  head[at + 4] = static_cast<char>(type);
  put_le(head, at + 8, first, 4);
  put_le(head, at + 12, count, 4);
  head.replace(510, 2, "\x55\xaa");
}

TEST_CASE("a partition a person added after the image in the MBR is not free space") {
  std::string head = image_head("MACULAOS", 58583, 234331);
  put_mbr_entry(head, 0, 0xee, 1, 234331);  // grub-mkrescue's protective entry: the image
  CHECK(mbr_partitions_end(head) == 234332 * 512);
  const std::uint64_t end = image_end(head, "/dev/sda").value();
  CHECK(plan_region("/dev/sda", {end, mbr_partitions_end(head), kGiB}, ""));
  put_mbr_entry(head, 1, 0x0c, 300 * 2048, 100 * 2048);  // FAT32 from 300 MiB to 400 MiB
  CHECK(mbr_partitions_end(head) == 400 * kMiB);
  auto taken = plan_region("/dev/sda", {end, mbr_partitions_end(head), kGiB}, "");
  REQUIRE_FALSE(taken);
  CHECK(taken.error().text() == "/dev/sda: its MBR lists a partition after the MaculaOS image (to 400 MiB): "
                                "the space there is not free; nothing written");
  CHECK(mbr_partitions_end(std::string(kImageHeadSize, '\0')) == 0);  // no MBR signature
}

TEST_CASE("persistence starts at the MiB boundary after the image") {
  CHECK(persistence_offset(119977984) == 115 * kMiB);
  CHECK(persistence_offset(115 * kMiB) == 115 * kMiB);
  CHECK(persistence_offset(115 * kMiB + 1) == 116 * kMiB);
}

TEST_CASE("the region takes all the free space, a size or a share of it") {
  const std::uint64_t end = 119977984, stick = 1 * kGiB;  // offset 115 MiB, 909 MiB free
  auto all = plan_region("/dev/sda", {end, 0, stick}, "");
  REQUIRE(all);
  CHECK(all->offset == 115 * kMiB);
  CHECK(all->size == 909 * kMiB);
  CHECK(plan_region("/dev/sda", {end, 0, stick}, "256M")->size == 256 * kMiB);
  CHECK(plan_region("/dev/sda", {end, 0, stick}, "100%")->size == 909 * kMiB);
  CHECK(plan_region("/dev/sda", {end, 0, stick}, "50%")->size == 454 * kMiB);
}

TEST_CASE("a region that does not fit is refused with the sizes") {
  const std::uint64_t end = 119977984;
  auto big = plan_region("/dev/sda", {end, 0, 1 * kGiB}, "4G");
  REQUIRE_FALSE(big);
  CHECK(big.error().text() == "/dev/sda: 909 MiB free after the MaculaOS image (114.42 MiB), 4.0 GiB asked for; nothing written");
  auto full = plan_region("/dev/sda", {end, 0, 150 * kMiB}, "");
  REQUIRE_FALSE(full);
  CHECK_THAT(full.error().text(), Contains("35 MiB free") && Contains("at least 64 MiB"));
  CHECK_FALSE(plan_region("/dev/sda", {end, 0, end}, ""));  // the ISO file itself: no room at all
  CHECK_THAT(plan_region("/dev/sda", {end, 0, kGiB}, "0%").error().text(), Contains("from 1% to 100%"));
  CHECK_THAT(plan_region("/dev/sda", {end, 0, kGiB}, "lots").error().text(), Contains("persistence size"));
}

}  // namespace
}  // namespace macula
