#include "common/base64.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("base64 text and its bytes round-trip, and other text is refused by name") {
  CHECK(base64_text("hello", true) == "aGVsbG8=");
  CHECK(base64_text("hello", false) == "aGVsbG8");
  CHECK(base64_bytes("aGVsbG8=", "x").value() == "hello");
  const std::string binary("\x00\xff\x10\x80", 4);
  CHECK(base64_bytes(base64_text(binary, true), "x").value() == binary);
  auto bad = base64_bytes("aGVsbG8=!", "tpm2-private");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "tpm2-private: expected base64 text");
}

}  // namespace
}  // namespace macula
