// GRUB's superuser on an installed disk (docs/security.md). With one, editing a menu entry,
// GRUB's command line and the recovery entry ask for the superuser's password, while the A/B
// entries stay --unrestricted: a node with no one at its console boots as before. The password
// is kept as GRUB's own PBKDF2 hash (what grub-mkpasswd-pbkdf2 prints), never in plain text.
#pragma once

#include <string>
#include <string_view>

namespace macula {

// The superuser's name in GRUB's prompt.
inline constexpr std::string_view kGrubSuperuser = "root";

// The file grub-disk.cfg sources from the ESP (names.h's kEspGrubSuperuser) for `pbkdf2_hash`
// (grub.pbkdf2.sha512.ITERATIONS.SALT.HASH, as the schema checked it).
std::string grub_superuser_cfg(std::string_view pbkdf2_hash);

}  // namespace macula
