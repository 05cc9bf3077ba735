// What macula-install asks a person who runs it on a terminal without --yes: what is set once
// per node at install (host name, password, SSH key, keyboard, time zone, locale, mesh
// roles), each with its default shown. Enter keeps the default; an answer the config schema
// refuses is explained and asked again. A question whose key an option or the config already
// set is not asked. The password may be left out only when there is an SSH key: an installed
// node does not keep the image's (config/image_password.h). The terminal sits behind Prompter, so the logic is tested with a scripted one.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/prompter.h"
#include "common/result.h"
#include "config/config_tree.h"
#include "config/node_config.h"

namespace macula {

// A password in, its crypt(3) hash out.
using PasswordHasher = std::function<Result<std::string>(const std::string&)>;

// Adds the answers to flags. given: the config the install writes (--config; empty: none).
// Fails when the input ends before the last question.
Result<void> ask_install_questions(Prompter& prompter, ConfigFlags& flags, const PasswordHasher& hash,
                                   const ConfigNode& given);

// libcrypt's SHA-512 hash with a random salt.
Result<std::string> sha512_crypt(const std::string& password);

}  // namespace macula
