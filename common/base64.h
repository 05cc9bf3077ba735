// Base64 (RFC 4648's original alphabet), by libsodium: the node's OpenSSH key line and
// fingerprint, the Portal's signatures, the TPM blobs in the encrypted state's LUKS2 token.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

std::string base64_text(std::string_view bytes, bool padded);

// The bytes of padded base64 text; fails, naming `what`, for anything else.
Result<std::string> base64_bytes(std::string_view text, std::string_view what);

}  // namespace macula
