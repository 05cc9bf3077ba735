#include "upgrade/signature.h"

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <vector>

namespace macula {

namespace {

class PublicKey {
 public:
  PublicKey() { mbedtls_pk_init(&pk_); }
  ~PublicKey() { mbedtls_pk_free(&pk_); }
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;

  Result<void> load(const std::string& path) {
    if (mbedtls_pk_parse_public_keyfile(&pk_, path.c_str()) != 0)
      return fail(path + ": not a PEM public key");
    if (mbedtls_pk_get_type(&pk_) != MBEDTLS_PK_ECKEY || mbedtls_pk_ec(pk_)->grp.id != MBEDTLS_ECP_DP_SECP256R1)
      return fail(path + ": not an ECDSA P-256 key");
    return {};
  }

  bool verifies(const std::array<unsigned char, 32>& digest, std::string_view signature) {
    return mbedtls_pk_verify(&pk_, MBEDTLS_MD_SHA256, digest.data(), digest.size(),
                             reinterpret_cast<const unsigned char*>(signature.data()), signature.size()) == 0;
  }

 private:
  mbedtls_pk_context pk_;
};

}  // namespace

Result<std::string> verify_signature(std::string_view data, std::string_view signature,
                                     const std::string& keys_dir) {
  std::vector<std::string> keys;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(keys_dir, ec))
    if (entry.path().extension() == ".pem") keys.push_back(entry.path().string());
  if (keys.empty()) return fail("no release keys (*.pem) in " + keys_dir + ": cannot verify any release");
  std::sort(keys.begin(), keys.end());

  std::array<unsigned char, 32> digest{};
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), 0);
  std::string unusable;
  for (const std::string& path : keys) {
    PublicKey key;
    if (auto r = key.load(path); !r) {
      unusable += "; " + r.error().message;
      continue;
    }
    if (key.verifies(digest, signature)) return std::filesystem::path(path).filename().string();
  }
  return fail("the signature matches none of the " + std::to_string(keys.size()) + " key(s) in " + keys_dir +
              unusable);
}

}  // namespace macula
