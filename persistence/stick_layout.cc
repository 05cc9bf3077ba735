#include "persistence/stick_layout.h"

#include <charconv>
#include <cstring>

#include "ab/disk_layout.h"
#include "common/little_endian.h"

namespace macula {

namespace {

constexpr std::size_t kSector = 512;
constexpr std::size_t kPrimaryVolumeDescriptor = 0x8000;  // ISO 9660: sector 16 of 2048 bytes
constexpr std::string_view kVolumeId = "MACULAOS";        // bootloader/make-iso.sh's -volid

// ISO 9660's volume id: 32 bytes padded with spaces.
std::string_view volume_id(std::string_view pvd) {
  std::string_view id = pvd.substr(40, 32);
  while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
  return id;
}

}  // namespace

Result<std::uint64_t> image_end(std::string_view head, std::string_view device) {
  const std::string not_ours = std::string(device) + ": no MaculaOS image at its start (expected an ISO 9660 volume named " +
                               std::string(kVolumeId) + ", as the ISO written to a stick has)";
  if (head.size() < kImageHeadSize) return fail(not_ours);
  const std::string_view pvd = head.substr(kPrimaryVolumeDescriptor, 2048);
  if (pvd.substr(0, 6) != std::string_view("\x01" "CD001", 6) || volume_id(pvd) != kVolumeId) return fail(not_ours);
  const std::uint64_t block_size = little_endian(pvd, 128, 2);
  std::uint64_t end = little_endian(pvd, 80, 4) * (block_size ? block_size : 2048);
  // grub-mkrescue's GPT: its backup header is the image's last sector.
  const std::string_view gpt = head.substr(kSector, 92);
  if (gpt.substr(0, 8) == "EFI PART") end = std::max(end, (little_endian(gpt, 32, 8) + 1) * kSector);
  return end;
}

std::uint64_t mbr_partitions_end(std::string_view head) {
  constexpr std::size_t kEntries = 446, kEntrySize = 16;
  if (head.size() < kSector || head.substr(510, 2) != "\x55\xaa") return 0;
  std::uint64_t end = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string_view entry = head.substr(kEntries + i * kEntrySize, kEntrySize);
    const std::uint64_t first = little_endian(entry, 8, 4), count = little_endian(entry, 12, 4);
    if (entry[4] != 0 && count != 0) end = std::max(end, (first + count) * kSector);
  }
  return end;
}

std::uint64_t persistence_offset(std::uint64_t image_end) { return (image_end + kMiB - 1) / kMiB * kMiB; }

Result<PersistRegion> plan_region(std::string_view device, const StickSpace& space, std::string_view size) {
  const std::uint64_t image_end = space.image_end, device_size = space.device_size;
  const std::uint64_t offset = persistence_offset(image_end);
  if (space.partitions_end > offset)
    return fail(std::string(device) + ": its MBR lists a partition after the MaculaOS image (to " +
                format_size(space.partitions_end) + "): the space there is not free; nothing written");
  const std::uint64_t free = device_size > offset ? (device_size - offset) / kMiB * kMiB : 0;
  const std::string where = std::string(device) + ": " + format_size(free) + " free after the MaculaOS image (" +
                            format_size(image_end) + ")";
  std::uint64_t wanted = free;
  if (size.ends_with('%')) {
    unsigned share = 0;
    const std::string_view digits = size.substr(0, size.size() - 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), share);
    if (ec != std::errc() || end != digits.data() + digits.size() || share < 1 || share > 100)
      return fail("persistence size '" + std::string(size) + "': expected a share from 1% to 100%");
    wanted = free / kMiB * share / 100 * kMiB;
  } else if (!size.empty()) {
    auto bytes = parse_size(size);
    if (!bytes) return fail("persistence size", bytes.error());
    wanted = *bytes / kMiB * kMiB;
    if (wanted > free) return fail(where + ", " + format_size(wanted) + " asked for; nothing written");
  }
  if (wanted < kMinPersistSize)
    return fail(where + ", persistence needs at least " + format_size(kMinPersistSize) + "; nothing written");
  return PersistRegion{offset, wanted};
}

}  // namespace macula
