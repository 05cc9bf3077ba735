#include "support/zstd_compress.h"

#include <catch2/catch.hpp>
#include <zstd.h>

namespace macula {
namespace {

TEST_CASE("a zstd frame that decompresses to what was compressed") {
  const std::string data = std::string(100000, 'a') + "the end";
  auto frame = zstd_compress(data, 9);
  REQUIRE(frame);
  CHECK(frame->size() < data.size() / 10);
  REQUIRE(ZSTD_getFrameContentSize(frame->data(), frame->size()) == data.size());
  std::string back(data.size(), '\0');
  CHECK(ZSTD_decompress(back.data(), back.size(), frame->data(), frame->size()) == data.size());
  CHECK(back == data);
}

}  // namespace
}  // namespace macula
