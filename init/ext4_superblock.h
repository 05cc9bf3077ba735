// The size an ext4 file system records in its superblock (util-linux 2.38's libblkid does not
// report it; FSSIZE came in 2.39).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace macula {

inline constexpr std::uint64_t kExt4SuperblockOffset = 1024;
inline constexpr std::size_t kExt4SuperblockBytes = 1024;

struct Ext4Size {
  std::uint64_t blocks = 0;
  std::uint64_t block_size = 0;
};

// The superblock's kExt4SuperblockBytes (read kExt4SuperblockOffset bytes into the file
// system): its size in blocks and its block size. Fails unless it carries ext4's magic.
Result<Ext4Size> ext4_size(std::string_view superblock);

}  // namespace macula
