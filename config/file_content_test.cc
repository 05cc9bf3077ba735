#include "config/file_content.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

// `printf 'hello\n' | gzip -n | base64`
constexpr std::string_view kHelloGzipB64 = "H4sIAAAAAAAAA8tIzcnJ5wIAIDA6NgYAAAA=";

TEST_CASE("write_files content: plain, base64 (wrapped), gzip inside base64") {
  CHECK(decode_file_content("as is\n", "") == "as is\n");
  CHECK(decode_file_content("aGVsbG8K", "b64") == "hello\n");
  CHECK(decode_file_content("aGVs\n  bG8K\n", "base64") == "hello\n");
  CHECK(decode_file_content(kHelloGzipB64, "gz+b64") == "hello\n");
  CHECK(decode_file_content(kHelloGzipB64, "gzip+base64") == "hello\n");
}

TEST_CASE("write_files content that does not decode is an error naming what was expected") {
  auto bad64 = decode_file_content("not*base64", "b64");
  REQUIRE_FALSE(bad64);
  CHECK(bad64.error().text() == "content: not valid base64");
  auto not_gzip = decode_file_content("aGVsbG8K", "gz+b64");
  REQUIRE_FALSE(not_gzip);
  CHECK(not_gzip.error().text() == "content: not valid gzip data");
  // the same gzip cut short
  auto raw = decode_file_content(kHelloGzipB64, "b64");
  REQUIRE(raw);
  CHECK_FALSE(decode_file_content(raw->substr(0, raw->size() - 6), "gzip"));
}

}  // namespace
}  // namespace macula
