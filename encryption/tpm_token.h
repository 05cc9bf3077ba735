// The encrypted state's TPM keyslot as the LUKS2 header records it: a token of type
// "macula-tpm2" holding the sealed key's TPM blobs (base64) and the PCRs it is bound to, tied
// to the keyslot the unsealed key opens (like systemd's "systemd-tpm2" token). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "encryption/tpm2_commands.h"

namespace macula {

inline constexpr std::string_view kTpmTokenType = "macula-tpm2";

struct SealedSecret {
  tpm2::Bytes private_area;  // TPM2B_PRIVATE's contents: only the TPM that sealed it loads it
  tpm2::Bytes public_area;   // TPM2B_PUBLIC's contents
  std::vector<int> pcrs;     // SHA-256 PCRs it is bound to (empty: none)
  // The storage root key's public area when it was sealed: unseal salts its session to this key
  // and refuses a TPM whose key differs. Empty in tokens made before it was recorded.
  tpm2::Bytes srk_public;
};

std::string tpm_token_json(const SealedSecret& sealed);
// Fails, naming the field, for a token that is not one of ours or is damaged.
Result<SealedSecret> parse_tpm_token(std::string_view json);

// "7", "0,7" (systemd-cryptenroll's --tpm2-pcrs= form); "" is none.
Result<std::vector<int>> parse_pcr_list(std::string_view text);

}  // namespace macula
