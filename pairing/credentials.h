// What a pairing keeps: the Portal's answer under the credentials directory (0700, each file
// 0600, written atomically), and its GitOps settings as a node config drop-in. The caller sets
// .configured after: a cut before that leaves the node unpaired, and the next pairing writes
// every file again.
#pragma once

#include <string>

#include "common/result.h"
#include "pairing/portal_protocol.h"
#include "names/names.h"

namespace macula {

inline constexpr const char* kPairingDropIn = "50-pairing.yaml";  // in config_sources.h's kConfigDropInDir
// In the credentials directory: the refresh token alone (what a client reads to sign in), the
// account it belongs to, and NAME.pem per certificate.
inline constexpr const char* kRefreshTokenFile = "refresh_token";
inline constexpr const char* kAccountFile = "portal.json";

// Pure: the drop-in setting maculaos.setup.gitops (JSON strings are YAML strings).
std::string pairing_config_text(const GitopsSource& gitops);
// Pure: portal.json: the Portal, the user and the organisation, no secret.
std::string account_text(const PairAnswer& answer, const std::string& portal_url);

Result<void> store_pairing(const PairAnswer& answer, const std::string& portal_url, const std::string& credentials_dir,
                           const std::string& config_dir);

}  // namespace macula
