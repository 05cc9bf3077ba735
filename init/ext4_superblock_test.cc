#include "init/ext4_superblock.h"

#include <string>

#include <catch2/catch.hpp>

namespace macula {
namespace {

void put32(std::string& sb, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) sb[at + i] = static_cast<char>(v >> (8 * i));
}

// What mkfs.ext4 writes for 1 GiB in 4 KiB blocks, with or without the 64bit feature.
std::string superblock(std::uint64_t blocks, std::uint32_t log_block, bool bit64) {
  std::string sb(kExt4SuperblockBytes, '\0');
  put32(sb, 4, static_cast<std::uint32_t>(blocks));
  put32(sb, 24, log_block);
  put32(sb, 56, 0xEF53);
  if (bit64) {
    put32(sb, 96, 0x2C2);  // extents, flex_bg, 64bit, filetype
    put32(sb, 336, static_cast<std::uint32_t>(blocks >> 32));
  }
  return sb;
}

TEST_CASE("an ext4 superblock gives its size in blocks and its block size") {
  auto size = ext4_size(superblock(262144, 2, true));
  REQUIRE(size);
  CHECK(size->blocks == 262144);
  CHECK(size->block_size == 4096);
  // beyond 32 bits of blocks (64bit feature), and a 1 KiB-block file system without it
  size = ext4_size(superblock((5ull << 32) + 7, 2, true));
  REQUIRE(size);
  CHECK(size->blocks == (5ull << 32) + 7);
  size = ext4_size(superblock(1000, 0, false));
  REQUIRE(size);
  CHECK(size->blocks == 1000);
  CHECK(size->block_size == 1024);
}

TEST_CASE("what is not an ext4 superblock is refused") {
  auto sb = superblock(262144, 2, true);
  sb[56] = 0;
  CHECK_FALSE(ext4_size(sb));
  CHECK_FALSE(ext4_size(superblock(262144, 40, true)));  // a block size past 64 KiB
  const auto whole = superblock(1, 2, true);
  CHECK_FALSE(ext4_size(std::string_view(whole).substr(0, 512)));
}

}  // namespace
}  // namespace macula
