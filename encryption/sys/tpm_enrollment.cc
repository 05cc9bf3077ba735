#include "encryption/sys/tpm_enrollment.h"

#include <sodium.h>

#include "encryption/secret_bytes.h"

namespace macula {

namespace {

constexpr std::size_t kKeyBytes = 32;

std::string_view text(const SecretBytes& key) { return {reinterpret_cast<const char*>(key.data()), key.size()}; }

}  // namespace

Result<void> enroll_tpm(LuksVolume& volume, std::string_view passphrase, TpmTransport& tpm, const std::vector<int>& pcrs) {
  SecretBytes key(kKeyBytes);
  ::randombytes_buf(key.data(), key.size());
  auto sealed = seal(tpm, key, pcrs);
  if (!sealed) return fail("seal the state's key to the TPM", sealed.error());
  auto slot = volume.add_random_key(passphrase, text(key));
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
  return volume.activate(name, text(*unsealed));
}

}  // namespace macula
