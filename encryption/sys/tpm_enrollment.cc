#include "encryption/sys/tpm_enrollment.h"

#include <sodium.h>

namespace macula {

namespace {

constexpr std::size_t kKeyBytes = 32;

// Key bytes, wiped from memory when they go.
struct Key {
  tpm2::Bytes bytes;
  ~Key() { ::sodium_memzero(bytes.data(), bytes.size()); }
  std::string_view text() const { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
};

}  // namespace

Result<void> enroll_tpm(LuksVolume& volume, std::string_view passphrase, TpmTransport& tpm, const std::vector<int>& pcrs) {
  Key key{tpm2::Bytes(kKeyBytes)};
  ::randombytes_buf(key.bytes.data(), key.bytes.size());
  auto sealed = seal(tpm, key.bytes, pcrs);
  if (!sealed) return fail("seal the state's key to the TPM", sealed.error());
  auto slot = volume.add_random_key(passphrase, key.text());
  if (!slot) return fail(slot.error());
  return volume.add_token(*slot, tpm_token_json(*sealed));
}

Result<void> open_with_tpm(LuksVolume& volume, const std::string& name, TpmTransport& tpm) {
  const std::optional<std::string> json = volume.token(kTpmTokenType);
  if (!json) return fail("no TPM keyslot (installed without a TPM)");
  auto sealed = parse_tpm_token(*json);
  if (!sealed) return fail(sealed.error());
  auto unsealed = unseal(tpm, *sealed);
  if (!unsealed) return fail(unsealed.error());
  Key key{std::move(*unsealed)};
  return volume.activate(name, key.text());
}

}  // namespace macula
