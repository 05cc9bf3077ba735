#include "installer/target_disk.h"

#include <sys/sysmacros.h>

#include <catch2/catch.hpp>

namespace macula {
namespace {

constexpr std::string_view kMountinfo =
    "21 1 0:19 / /proc rw,nosuid - proc proc rw\n"
    "27 26 11:0 / /run/macula/media ro,relatime - iso9660 /dev/sr0 ro\n"
    "40 1 8:17 / /mnt/data rw - ext4 /dev/sdb1 rw\n"
    "garbage line\n";

TargetDisk disk(std::vector<dev_t> devices) {
  TargetDisk d;
  d.path = "/dev/x";
  d.devices = std::move(devices);
  return d;
}

TEST_CASE("mountinfo gives device numbers and mount points") {
  const auto m = parse_mountinfo(kMountinfo);
  REQUIRE(m.size() == 3);
  CHECK(m[1].device == makedev(11, 0));
  CHECK(m[1].mount_point == "/run/macula/media");
  CHECK(m[2].device == makedev(8, 17));
}

TEST_CASE("the boot media, a mounted partition, swap and read-only are each refused") {
  const auto mounts = parse_mountinfo(kMountinfo);
  const std::vector<std::string> no_swap;

  auto media = check_target_free(disk({makedev(11, 0)}), mounts, no_swap);
  REQUIRE_FALSE(media);
  CHECK_THAT(media.error().message, Catch::Contains("is the disk MaculaOS is running from"));
  CHECK(media.error().kind == ErrorKind::refused);  // never free: unlike a mount, nothing to undo

  auto mounted = check_target_free(disk({makedev(8, 16), makedev(8, 17)}), mounts, no_swap);
  REQUIRE_FALSE(mounted);
  CHECK_THAT(mounted.error().message, Catch::Contains("is in use") && Catch::Contains("/mnt/data"));
  CHECK(mounted.error().kind == ErrorKind::busy);

  auto free_disk = check_target_free(disk({makedev(8, 0), makedev(8, 1)}), mounts, no_swap);
  CHECK(free_disk);

  TargetDisk ro = disk({makedev(8, 0)});
  ro.read_only = true;
  auto refused = check_target_free(ro, mounts, no_swap);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "/dev/x is read-only: cannot install on it");
  CHECK(refused.error().kind == ErrorKind::permission);
}

TEST_CASE("a disk whose partitions the kernel holds (LVM, RAID, LUKS) is refused, naming the holder") {
  TargetDisk held = disk({makedev(8, 0), makedev(8, 1)});
  held.holders = {"sda1 is held by dm-0"};
  auto refused = check_target_free(held, parse_mountinfo(kMountinfo), {});
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("is in use: sda1 is held by dm-0"));
  CHECK(refused.error().kind == ErrorKind::busy);
}

}  // namespace
}  // namespace macula
