// The recovery passphrase of an encrypted state: shown once at install, typed at the console
// when the TPM cannot unlock the state. systemd-cryptenroll's recovery key shape: 128 random
// bits as 8 groups of 4 "modhex" letters (cbdefghijklnrtuv), which sit on the same keys on
// every common keyboard layout, so a console with the wrong layout still types it right.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace macula {

inline constexpr std::size_t kRecoveryBytes = 16;

// The passphrase of these bytes. Pure.
std::string recovery_passphrase(const std::array<std::uint8_t, kRecoveryBytes>& bytes);

// A new one, from libsodium's random bytes.
std::string new_recovery_passphrase();

// True for text in that shape (what `maculaos state passphrase` checks a typed one against).
bool is_recovery_passphrase(std::string_view text);

}  // namespace macula
