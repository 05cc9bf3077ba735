// Bytes in unit tests: from hex text ("8001 0000000e": spaces are ignored), for known answers
// written as a specification or a tool prints them; and read back as the TPM marshals them.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace macula {

inline std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

// Big-endian numbers and TPM2B (16-bit size, then the bytes) from bytes, in order; reading past
// the end throws, which fails the test.
struct ByteReader {
  std::span<const std::uint8_t> bytes;
  std::size_t at = 0;
  std::uint32_t number(int n) {
    need(static_cast<std::size_t>(n));
    std::uint32_t v = 0;
    while (n--) v = v << 8 | bytes[at++];
    return v;
  }
  std::vector<std::uint8_t> raw(std::size_t n) {
    need(n);
    std::vector<std::uint8_t> out(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                                  bytes.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
    return out;
  }
  std::vector<std::uint8_t> sized() { return raw(number(2)); }
  std::vector<std::uint8_t> rest() { return raw(bytes.size() - at); }

 private:
  void need(std::size_t n) const {
    if (at + n > bytes.size()) throw std::out_of_range("read past the end of the bytes");
  }
};

}  // namespace macula
