// An installed node never keeps the image's well-known password (names.h kImagePassword):
// the live ISO needs it at the console, a node on a disk must not answer to it. While the
// node user's password is still the image's and the config sets none, the boot stage expires
// it (the first console login must choose a new one, as `passwd --expire` makes login do) or,
// when the config gives SSH keys, locks it (as cloud-init does for a user with keys: the keys
// log in, the console asks for a password the config can set). Pure: the shadow file's text in,
// the step out; config_apply.cc carries it out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace macula {

enum class ImagePasswordStep { keep, expire, lock };

// What the config asks of a node whose user still has the image's password: keep it on live
// media (installed false), else lock it when the config gives SSH keys, else expire it.
// A config that sets maculaos.password replaces it before this step, so it is kept too.
ImagePasswordStep image_password_step(bool installed, bool password_set, bool has_ssh_keys);

// `user`'s password hash in /etc/shadow's text; nullopt when the user has no line.
std::optional<std::string> shadow_hash(std::string_view shadow, std::string_view user);

// Whether `hash` (a crypt(3) hash) is the hash of `password`; false for a locked or empty one.
bool hash_holds(const std::string& hash, const std::string& password);

}  // namespace macula
