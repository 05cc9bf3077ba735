#include "encryption/recovery_passphrase.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("a recovery passphrase is 8 groups of 4 modhex letters, one per nibble") {
  std::array<std::uint8_t, kRecoveryBytes> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 0x11);
  CHECK(recovery_passphrase(bytes) == "ccbb-ddee-ffgg-hhii-jjkk-llnn-rrtt-uuvv");
  CHECK(is_recovery_passphrase(recovery_passphrase(bytes)));
}

TEST_CASE("new recovery passphrases differ and keep the shape") {
  const std::string one = new_recovery_passphrase(), two = new_recovery_passphrase();
  CHECK(one != two);
  CHECK(is_recovery_passphrase(one));
  CHECK(is_recovery_passphrase(two));
}

TEST_CASE("text of another shape is not a recovery passphrase") {
  CHECK_FALSE(is_recovery_passphrase(""));
  CHECK_FALSE(is_recovery_passphrase("ccbb-ddee-ffgg-hhii-jjkk-llnn-rrtt-uuv"));
  CHECK_FALSE(is_recovery_passphrase("ccbb-ddee-ffgg-hhii-jjkk-llnn-rrtt-uuva"));  // 'a' is not modhex
  CHECK_FALSE(is_recovery_passphrase("ccbbddee-ffgg-hhii-jjkk-llnn-rrtt-uuvv-"));
}

}  // namespace
}  // namespace macula
