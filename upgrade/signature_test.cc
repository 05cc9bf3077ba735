#include "upgrade/signature.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "common/base64.h"
#include "tests/scratch_dir.h"

namespace macula {
namespace {

// A key made for this test, and its signature (openssl dgst -sha256 -sign) of kData.
constexpr std::string_view kPublicKey = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQc2CS/NgJ24iYJ971E6Po/Q4wbHD
sYWL0zw0DaOmK1W5OT8DQqzNDA8tJul9RVRF+R2cK4iCaKW3XR3uAqCuRw==
-----END PUBLIC KEY-----
)";
constexpr std::string_view kData = "version 1.2.3\n";
constexpr std::string_view kSignature =
    "MEUCIQDaliHrduO4hh5MnAI0F4G+nwKtlg5/Zh86xb0MxXaiswIgJGSfunuUbPYp6e1h7tIJ9stUDXUUwHuRU/zi+rfrmGI=";

TEST_CASE("a signature by a trusted key verifies, and the same over other bytes is a verification error") {
  ScratchDir keys("signature-keys");
  std::ofstream(keys.path / "release.pem") << kPublicKey;
  const std::string signature = *base64_bytes(kSignature, "signature");

  auto good = verify_signature(kData, signature, keys.path.string());
  REQUIRE(good);
  CHECK(*good == "release.pem");

  auto forged = verify_signature("version 1.2.4\n", signature, keys.path.string());
  REQUIRE_FALSE(forged);
  CHECK(forged.error().kind == ErrorKind::verification);
  CHECK(forged.error().message == "the signature matches none of the 1 key(s) in " + keys.path.string());
}

TEST_CASE("no keys to verify with is not_found, not a forged release") {
  ScratchDir keys("signature-no-keys");
  auto none = verify_signature(kData, "", keys.path.string());
  REQUIRE_FALSE(none);
  CHECK(none.error().kind == ErrorKind::not_found);
  CHECK_THAT(none.error().message, Catch::StartsWith("no release keys (*.pem) in "));
}

}  // namespace
}  // namespace macula
