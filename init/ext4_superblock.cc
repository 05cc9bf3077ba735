#include "init/ext4_superblock.h"

#include <string>

#include "common/little_endian.h"

namespace macula {

namespace {

// struct ext4_super_block's fields used here, by byte offset (little-endian).
constexpr std::size_t kBlocksCountLo = 4;
constexpr std::size_t kLogBlockSize = 24;  // block size = 1024 << this
constexpr std::size_t kMagic = 56;         // 16 bits: 0xEF53
constexpr std::size_t kFeatureIncompat = 96;
constexpr std::size_t kBlocksCountHi = 336;  // with the 64bit feature only
constexpr std::uint64_t kIncompat64Bit = 0x80;

std::uint64_t le32(std::string_view sb, std::size_t at) { return little_endian(sb, at, 4); }

}  // namespace

Result<Ext4Size> ext4_size(std::string_view sb) {
  if (sb.size() < kExt4SuperblockBytes || little_endian(sb, kMagic, 2) != 0xEF53) return fail("no ext4 superblock");
  const std::uint64_t log_block = le32(sb, kLogBlockSize);
  // ext4 blocks are 1 KiB to 64 KiB
  if (log_block > 6) return fail("ext4 superblock: block size 2^" + std::to_string(10 + log_block) + " bytes");
  Ext4Size size{le32(sb, kBlocksCountLo), 1024ull << log_block};
  if (le32(sb, kFeatureIncompat) & kIncompat64Bit) size.blocks |= le32(sb, kBlocksCountHi) << 32;
  return size;
}

}  // namespace macula
