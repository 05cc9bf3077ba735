#include "common/background_sha256.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

namespace macula {
namespace {

std::span<const std::byte> bytes_of(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

// The same bytes hashed on the caller's thread.
std::string inline_hex(const std::vector<std::byte>& data) {
  Sha256 hash;
  hash.update(data);
  return hash.hex();
}

}  // namespace

TEST_CASE("the background hash of nothing and of a short text is SHA-256's") {
  BackgroundSha256 empty;
  CHECK(empty.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BackgroundSha256 abc;
  abc.update(bytes_of("abc"));
  CHECK(abc.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the background hash agrees with the inline one across buffer edges and uneven updates") {
  // 256 KiB buffers: sizes on, around and far past their edges, and past all four at once
  for (size_t size : {size_t{1}, size_t{256 << 10} - 1, size_t{256 << 10}, size_t{256 << 10} + 1,
                      size_t{(5 << 20) + 7}}) {
    std::vector<std::byte> data(size);
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<std::byte>((i * 131 + i / 977) & 0xff);
    for (size_t step : {size_t{1000}, size_t{1 << 20}, size}) {
      if (step == 1000 && size > (1 << 20)) continue;  // keeps the test short
      BackgroundSha256 hash;
      for (size_t at = 0; at < size; at += step) hash.update(std::span(data).subspan(at, std::min(step, size - at)));
      CHECK(hash.hex() == inline_hex(data));
    }
  }
}

}  // namespace macula
