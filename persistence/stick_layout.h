// A MaculaOS image written to a USB stick, and the room after it, where live persistence goes.
// The persistence is a file system in the free space after the image that no partition table
// lists: the image's GPT and protective MBR are bytes of the image, and adding an entry to them
// would change it. Untouched, the stick's first bytes still hash as the ISO (as Ventoy and
// live-boot users check), and whatever reads the stick sees the image as written. Init and
// `maculaos persistence` find it at the first MiB boundary after the image.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "names/names.h"

namespace macula {

// The mappings of an encrypted persistence: while it is made, and opened by init.
inline constexpr const char* kNewPersistMapping = "macula-persist-new";
inline constexpr const char* kPersistMapping = "macula-persist";
inline constexpr std::uint64_t kMinPersistSize = std::uint64_t{64} << 20;
// How much of the stick's start image_end() reads: through the ISO 9660 primary volume descriptor.
inline constexpr std::size_t kImageHeadSize = 0x8800;

// Where the MaculaOS image at the start of `head` (the stick's first kImageHeadSize bytes) ends:
// the further of its ISO 9660 volume and its GPT's backup header. Fails, naming `device`, when
// they hold no MaculaOS image (no primary volume descriptor with the volume id MACULAOS).
Result<std::uint64_t> image_end(std::string_view head, std::string_view device);

// Where the furthest partition the stick's MBR lists ends (0: no MBR). The image's own
// protective entry ends with the image; a partition a person added after it (fdisk on the
// stick) ends further, and the space it takes is not free.
std::uint64_t mbr_partitions_end(std::string_view head);

// Where persistence starts on a stick whose image ends at `end`: the next MiB boundary.
std::uint64_t persistence_offset(std::uint64_t image_end);

struct PersistRegion {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

struct StickSpace {
  std::uint64_t image_end = 0;
  std::uint64_t partitions_end = 0;  // mbr_partitions_end
  std::uint64_t device_size = 0;
};

// The region a new persistence takes on `device`: `size` is empty (all of the free space), a
// size (512M, 4G, 1T) or a share of the free space (50%). Fails with one line naming the sizes
// when it does not fit or would be smaller than kMinPersistSize, or naming the partition when
// the MBR lists one in the space after the image.
Result<PersistRegion> plan_region(std::string_view device, const StickSpace& space, std::string_view size);

}  // namespace macula
