#include "init/ext4_superblock.h"

#include <string>

namespace macula {

namespace {

// struct ext4_super_block's fields used here, by byte offset (little-endian).
constexpr std::size_t kBlocksCountLo = 4;
constexpr std::size_t kLogBlockSize = 24;  // block size = 1024 << this
constexpr std::size_t kMagic = 56;         // 16 bits: 0xEF53
constexpr std::size_t kFeatureIncompat = 96;
constexpr std::size_t kBlocksCountHi = 336;  // with the 64bit feature only
constexpr std::uint32_t kIncompat64Bit = 0x80;

std::uint32_t le32(std::span<const std::byte> b, std::size_t at) {
  return std::to_integer<std::uint32_t>(b[at]) | std::to_integer<std::uint32_t>(b[at + 1]) << 8 |
         std::to_integer<std::uint32_t>(b[at + 2]) << 16 | std::to_integer<std::uint32_t>(b[at + 3]) << 24;
}

}  // namespace

Result<Ext4Size> ext4_size(std::span<const std::byte> sb) {
  if (sb.size() < kExt4SuperblockBytes || (le32(sb, kMagic) & 0xFFFF) != 0xEF53) return fail("no ext4 superblock");
  const std::uint32_t log_block = le32(sb, kLogBlockSize);
  // ext4 blocks are 1 KiB to 64 KiB
  if (log_block > 6) return fail("ext4 superblock: block size 2^" + std::to_string(10ull + log_block) + " bytes");
  Ext4Size size{le32(sb, kBlocksCountLo), 1024ull << log_block};
  if (le32(sb, kFeatureIncompat) & kIncompat64Bit) size.blocks |= static_cast<std::uint64_t>(le32(sb, kBlocksCountHi)) << 32;
  return size;
}

}  // namespace macula
