#include "encryption/tpm_rebinding.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("a key bound to PCRs is not replaced by an unbound one unless asked by name") {
  const auto refused = check_tpm_rebinding({0, 7}, std::nullopt);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ErrorKind::refused);
  CHECK(refused.error().text() ==
        "the state's TPM key is bound to PCR 0,7: give --tpm2-pcrs=0,7 to keep that binding, "
        "or --tpm2-pcrs= to seal it unbound; nothing changed");
  CHECK(check_tpm_rebinding({7}, std::vector<int>{}));   // --tpm2-pcrs=: unbound, by name
  CHECK(check_tpm_rebinding({7}, std::vector<int>{7}));  // the same binding again
  CHECK(check_tpm_rebinding({7}, std::vector<int>{0, 7}));
}

TEST_CASE("an unbound key, or none, is replaced as asked, --tpm2-pcrs given or not") {
  CHECK(check_tpm_rebinding({}, std::nullopt));
  CHECK(check_tpm_rebinding({}, std::vector<int>{7}));
}

}  // namespace
}  // namespace macula
