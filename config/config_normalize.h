// What the reader makes of a config text's tree before the schema checks it: the habits of
// k3OS's and cloud-init's configs that MaculaOS takes as they were meant. Pure: the tree is
// changed in place; a change a person should hear of is a warning.
#pragma once

#include <vector>

#include "config/config_schema.h"
#include "config/config_tree.h"

namespace macula {

// - `k3os:` is read as `maculaos:` (k3OS's name), merged under it where both are there,
//   `maculaos:` winning key by key; one warning at `k3os:` says so.
// - One value where the schema wants a list of values (`dns_nameservers: 1.1.1.1`, the command
//   line's `maculaos.dns_nameservers=1.1.1.1`) is a list of that one value, as k3OS took it.
std::vector<ConfigIssue> normalize_config(ConfigNode& root);

// normalize_config's warnings, then validate_config's issues of the normalised tree: how every
// reader of a config text checks it (the merge, `config validate`, the installer, the fetched
// config).
std::vector<ConfigIssue> normalize_and_validate(ConfigNode& root);

}  // namespace macula
