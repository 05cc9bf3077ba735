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

struct TrustedKeys::Key {
  std::string name;  // the key file's name
  PublicKey key;
};

TrustedKeys::TrustedKeys(TrustedKeys&&) noexcept = default;
TrustedKeys::~TrustedKeys() = default;

Result<TrustedKeys> TrustedKeys::load(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".pem") paths.push_back(it->path().string());
  if (paths.empty())
    return fail(ErrorKind::not_found, "no release keys (*.pem) in " + dir + ": cannot verify any release");
  std::sort(paths.begin(), paths.end());
  TrustedKeys keys;
  keys.dir_ = dir;
  keys.files_ = paths.size();
  for (const std::string& path : paths) {
    auto key = std::make_unique<Key>();
    key->name = std::filesystem::path(path).filename().string();
    if (auto r = key->key.load(path); !r) {
      keys.unusable_ += "; " + r.error().message;
      continue;
    }
    keys.keys_.push_back(std::move(key));
  }
  return keys;
}

Result<std::string> TrustedKeys::verify(std::string_view data, std::string_view signature) const {
  std::array<unsigned char, 32> digest{};
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), 0);
  for (const auto& k : keys_)
    if (k->key.verifies(digest, signature)) return k->name;
  return fail(ErrorKind::verification,
              "the signature matches none of the " + std::to_string(files_) + " key(s) in " + dir_ + unusable_);
}

Result<std::string> verify_signature(std::string_view data, std::string_view signature,
                                     const std::string& keys_dir) {
  auto keys = TrustedKeys::load(keys_dir);
  if (!keys) return fail(keys.error());
  return keys->verify(data, signature);
}

}  // namespace macula
