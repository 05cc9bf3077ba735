#include "pairing/credentials.h"

#include "common/files.h"
#include "common/json.h"

namespace macula {

std::string pairing_config_text(const GitopsSource& gitops) {
  return "# Written by pairing with the Portal (maculaos pairing).\nmaculaos:\n  setup:\n    gitops:\n      url: " +
         json_quote(gitops.url) + "\n      branch: " + json_quote(gitops.branch) + "\n      path: " + json_quote(gitops.path) +
         "\n";
}

std::string account_text(const PairAnswer& answer, const std::string& portal_url) {
  return JsonObject()
             .add("portal", portal_url)
             .add("user", JsonObject().add("id", answer.user_id).add("name", answer.user_name))
             .add("organisation", JsonObject().add("id", answer.organisation_id).add("name", answer.organisation_name))
             .str() +
         "\n";
}

Result<void> store_pairing(const PairAnswer& answer, const std::string& portal_url, const std::string& credentials_dir,
                           const std::string& config_dir) {
  if (auto r = make_directory(credentials_dir, 0700); !r) return fail("pairing: the credentials", r.error());
  for (const PortalCertificate& certificate : answer.certificates)
    if (auto r = write_file_atomic(credentials_dir + "/" + certificate.name + ".pem", certificate.pem, 0600); !r)
      return fail("pairing: certificate " + certificate.name, r.error());
  if (auto r = write_file_atomic(credentials_dir + "/" + kAccountFile, account_text(answer, portal_url), 0600); !r)
    return fail("pairing: the account", r.error());
  if (auto r = write_file_atomic(credentials_dir + "/" + kRefreshTokenFile, answer.refresh_token + "\n", 0600); !r)
    return fail("pairing: the refresh token", r.error());
  if (!answer.gitops) return {};
  if (auto r = make_directory(config_dir, 0700); !r) return fail("pairing: the node config", r.error());
  if (auto r = write_file_atomic(config_dir + "/" + kPairingDropIn, pairing_config_text(*answer.gitops), 0600); !r)
    return fail("pairing: the node config", r.error());
  return {};
}

}  // namespace macula
