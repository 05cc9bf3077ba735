#include "config/image_password.h"

#include <catch2/catch.hpp>
#include <crypt.h>

#include "names/names.h"

namespace macula {
namespace {

std::string hash_of(const char* password, const char* setting) {
  crypt_data data{};
  return ::crypt_r(password, setting, &data);
}

TEST_CASE("image password: kept on live media and when the config sets one, else locked with keys and expired without") {
  CHECK(image_password_step(false, false, false) == ImagePasswordStep::keep);
  CHECK(image_password_step(true, true, false) == ImagePasswordStep::keep);
  CHECK(image_password_step(true, true, true) == ImagePasswordStep::keep);
  CHECK(image_password_step(true, false, true) == ImagePasswordStep::lock);
  CHECK(image_password_step(true, false, false) == ImagePasswordStep::expire);
}

TEST_CASE("shadow_hash: the second field of the user's line, and only of that user's") {
  const std::string shadow =
      "root:!*:20000:0:99999:7:::\n"
      "maculax:$6$other$x:20000:0:99999:7:::\n"
      "macula:$y$j9T$salt$hash:20000:0:99999:7:::\n";
  CHECK(shadow_hash(shadow, kNodeUser) == "$y$j9T$salt$hash");
  CHECK(shadow_hash(shadow, "root") == "!*");
  CHECK_FALSE(shadow_hash(shadow, "macul"));
  CHECK_FALSE(shadow_hash("", kNodeUser));
  CHECK(shadow_hash("macula::20000::::::", kNodeUser) == "");  // no newline at the end, empty hash
}

TEST_CASE("hash_holds: the image's password in a yescrypt or SHA-512 hash, and not a locked one, another or none") {
  const std::string yescrypt = hash_of(kImagePassword, "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$");
  const std::string sha512 = hash_of(kImagePassword, "$6$fixturesalt$");
  CHECK(hash_holds(yescrypt, kImagePassword));
  CHECK(hash_holds(sha512, kImagePassword));
  CHECK_FALSE(hash_holds(sha512, "chosen-at-first-login"));
  CHECK_FALSE(hash_holds("!" + yescrypt, kImagePassword));
  CHECK_FALSE(hash_holds("", kImagePassword));
  CHECK_FALSE(hash_holds("*", kImagePassword));
}

}  // namespace
}  // namespace macula
