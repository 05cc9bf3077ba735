#include "net/zstd_stream.h"

#include <catch2/catch.hpp>

#include <string>

namespace macula {

namespace {

std::string compress(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

// Feeds `compressed` in pieces of `piece` bytes; returns what came out, or the error.
Result<std::string> decode(const std::string& compressed, size_t piece) {
  std::string out;
  ZstdDecoder decoder("test.zst", [&](std::span<const std::byte> chunk) {
    out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return Result<void>();
  });
  for (size_t i = 0; i < compressed.size(); i += piece) {
    const auto part = std::as_bytes(std::span(compressed)).subspan(i, std::min(piece, compressed.size() - i));
    if (auto r = decoder.feed(part); !r) return fail(r.error());
  }
  if (auto r = decoder.finish(); !r) return fail(r.error());
  return out;
}

std::string sample() {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += std::to_string(i * 7919 % 100003) + ",";
  return text;
}

}  // namespace

TEST_CASE("zstd decoder restores the input whatever the piece size") {
  const std::string text = sample();
  const std::string z = compress(text);
  for (size_t piece : {size_t{1} << 20, size_t{4096}, size_t{7}}) {
    auto out = decode(z, piece);
    REQUIRE(out);
    CHECK(*out == text);
  }
}

TEST_CASE("zstd decoder accepts concatenated frames") {
  auto out = decode(compress("first,") + compress("second"), 5);
  REQUIRE(out);
  CHECK(*out == "first,second");
}

TEST_CASE("zstd decoder refuses a truncated stream and garbage") {
  const std::string z = compress(sample());
  auto truncated = decode(z.substr(0, z.size() / 2), 4096);
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().message.find("test.zst: the zstd stream ends inside a frame") == 0);
  CHECK(truncated.error().kind == ErrorKind::verification);  // not the bytes the stream claims
  auto garbage = decode("this is not zstd at all", 4096);
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().message.find("test.zst: not valid zstd data") == 0);
  CHECK(garbage.error().kind == ErrorKind::verification);
}

TEST_CASE("zstd decoder stops when the sink fails") {
  ZstdDecoder decoder("x", [](std::span<const std::byte>) { return Result<void>(fail("disk full")); });
  const std::string z = compress(sample());
  auto r = decoder.feed(std::as_bytes(std::span(z)));
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "disk full");
}

}  // namespace macula
