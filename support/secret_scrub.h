// What `maculaos support` does to every file it puts in a bundle, the last line of defence
// after the config's secrets were left out (config/config_schema.h without_secrets) and the
// state's secret files were never read: whatever still looks like a secret is replaced by
// <hidden>. Pure.
#pragma once

#include <string>
#include <string_view>

namespace macula {

inline constexpr std::string_view kHidden = "<hidden>";

// text with these hidden: the value after a key whose name says password, passwd, passphrase,
// token, secret, credential, private key or API key (`token: V`, `"password": "V"`,
// `K3S_TOKEN=V`, `--token V`, `maculaos.token=V`); k3s join tokens (K10...::...); PEM private
// key blocks; crypt(3) password hashes ($6$..., $y$...); recovery passphrases
// (encryption/recovery_passphrase.h).
std::string scrub_secrets(std::string_view text);

}  // namespace macula
