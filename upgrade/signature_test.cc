#include "upgrade/signature.h"

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>

#include "common/files.h"
#include "tests/scratch_dir.h"

namespace macula {

namespace {

// Not random at all (xorshift): the tests need keys and signatures, not secrets.
int pseudo_random(void* state, unsigned char* out, size_t len) {
  auto& x = *static_cast<std::uint64_t*>(state);
  for (size_t i = 0; i < len; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<unsigned char>(x);
  }
  return 0;
}

// A key pair made for one test: what `openssl ecparam -genkey` and `openssl dgst -sha256 -sign`
// make for a release (docs/upgrades.md, "Releases, keys and upgrades").
class SigningKey {
 public:
  SigningKey(mbedtls_ecp_group_id curve, std::uint64_t seed) : seed_(seed) {
    mbedtls_pk_init(&pk_);
    REQUIRE(mbedtls_pk_setup(&pk_, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0);
    REQUIRE(mbedtls_ecp_gen_key(curve, mbedtls_pk_ec(pk_), pseudo_random, &seed_) == 0);
  }
  ~SigningKey() { mbedtls_pk_free(&pk_); }
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  std::string public_pem() {
    std::array<unsigned char, 1024> pem{};
    REQUIRE(mbedtls_pk_write_pubkey_pem(&pk_, pem.data(), pem.size()) == 0);
    return reinterpret_cast<const char*>(pem.data());
  }

  std::string sign(std::string_view data) {
    std::array<unsigned char, 32> digest{};
    REQUIRE(mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), 0) ==
            0);
    std::array<unsigned char, MBEDTLS_PK_SIGNATURE_MAX_SIZE> signature{};
    size_t length = 0;
    REQUIRE(mbedtls_pk_sign(&pk_, MBEDTLS_MD_SHA256, digest.data(), digest.size(), signature.data(), &length,
                            pseudo_random, &seed_) == 0);
    return std::string(reinterpret_cast<const char*>(signature.data()), length);
  }

 private:
  mbedtls_pk_context pk_;
  std::uint64_t seed_;
};

constexpr std::string_view kManifest = R"({"format": 1, "version": "0.2.0"})";

void write(const std::filesystem::path& path, const std::string& content) {
  REQUIRE(write_file_atomic(path.string(), content, 0644));
}

}  // namespace

TEST_CASE("a signature by a trusted key verifies, naming the key's file") {
  ScratchDir keys("signature-trusted");
  SigningKey release(MBEDTLS_ECP_DP_SECP256R1, 1);
  SigningKey other(MBEDTLS_ECP_DP_SECP256R1, 2);
  write(keys.path / "other.pem", other.public_pem());
  write(keys.path / "release.pem", release.public_pem());

  auto key = verify_signature(kManifest, release.sign(kManifest), keys.path);
  REQUIRE(key);
  CHECK(*key == "release.pem");
}

TEST_CASE("a signature over other bytes, or by a key not in the directory, is refused") {
  ScratchDir keys("signature-refused");
  SigningKey release(MBEDTLS_ECP_DP_SECP256R1, 1);
  SigningKey stranger(MBEDTLS_ECP_DP_SECP256R1, 3);
  write(keys.path / "release.pem", release.public_pem());
  const std::string none = "the signature matches none of the 1 key(s) in " + keys.path.string();

  auto tampered = verify_signature(R"({"format": 1, "version": "9.9.9"})", release.sign(kManifest), keys.path);
  REQUIRE_FALSE(tampered);
  CHECK(tampered.error().message == none);
  CHECK(tampered.error().kind == ErrorKind::verification);  // a forged release, not a missing key

  auto foreign = verify_signature(kManifest, stranger.sign(kManifest), keys.path);
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().message == none);
  CHECK(foreign.error().kind == ErrorKind::verification);

  auto garbage = verify_signature(kManifest, "not DER at all", keys.path);
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().message == none);
}

TEST_CASE("a key directory with no key verifies nothing") {
  ScratchDir keys("signature-no-key");
  SigningKey release(MBEDTLS_ECP_DP_SECP256R1, 1);
  const std::string signature = release.sign(kManifest);
  const std::string no_keys = "no release keys (*.pem) in " + keys.path.string() + ": cannot verify any release";

  auto empty = verify_signature(kManifest, signature, keys.path);
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == no_keys);
  CHECK(empty.error().kind == ErrorKind::not_found);

  write(keys.path / "release.pub", release.public_pem());  // a key, but not named *.pem
  auto unnamed = verify_signature(kManifest, signature, keys.path);
  REQUIRE_FALSE(unnamed);
  CHECK(unnamed.error().message == no_keys);

  const std::string missing = (keys.path / "missing").string();
  auto absent = verify_signature(kManifest, signature, missing);
  REQUIRE_FALSE(absent);
  CHECK(absent.error().message == "no release keys (*.pem) in " + missing + ": cannot verify any release");
}

TEST_CASE("bad keys are named when nothing verifies, and do not stop a good key") {
  ScratchDir keys("signature-bad-key");
  SigningKey release(MBEDTLS_ECP_DP_SECP256R1, 1);
  SigningKey p384(MBEDTLS_ECP_DP_SECP384R1, 4);
  const std::string dir = keys.path.string();
  write(keys.path / "a-garbage.pem", "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n");
  write(keys.path / "b-p384.pem", p384.public_pem());

  auto bad_only = verify_signature(kManifest, release.sign(kManifest), dir);
  REQUIRE_FALSE(bad_only);
  CHECK(bad_only.error().message == "the signature matches none of the 2 key(s) in " + dir + "; " + dir +
                                        "/a-garbage.pem: not a PEM public key; " + dir +
                                        "/b-p384.pem: not an ECDSA P-256 key");

  // A P-384 signature is not taken either: the key is refused before it is tried.
  auto by_p384 = verify_signature(kManifest, p384.sign(kManifest), dir);
  REQUIRE_FALSE(by_p384);

  write(keys.path / "c-release.pem", release.public_pem());
  auto good = verify_signature(kManifest, release.sign(kManifest), dir);
  REQUIRE(good);
  CHECK(*good == "c-release.pem");
}

}  // namespace macula
