// Reading the little-endian integer fields of on-disk formats (ISO 9660, GPT, ext4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace macula {

// The unsigned integer of `width` bytes (at most 8) at byte `at` of bytes; the caller has
// checked that bytes holds them.
inline std::uint64_t little_endian(std::string_view bytes, std::size_t at, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = width; i-- > 0;) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace macula
