// What a node config may hold: every key of README's "Node configuration" (k3OS's keys, the
// `maculaos:` ones, the MaculaOS additions), each with the shape and values it takes. Checking
// is pure: it reads the tree and reports, it opens no file.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/config_tree.h"

namespace macula {

struct ConfigIssue {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  ConfigMark mark;
  std::string key;      // dotted: maculaos.mesh.tls_mode, write_files[2].path; empty when
                        // the file did not parse (message then starts SOURCE:LINE:COLUMN)
  std::string message;  // what is wrong and what was expected (never a secret's value)

  // "SOURCE:LINE:COLUMN: KEY: message" (warnings say "warning: " before KEY).
  std::string str() const;
};

// Every problem of the tree: errors (a value of the wrong shape or outside what its key
// takes) and warnings (an unknown key, named with its line: a typo is not silently ignored).
std::vector<ConfigIssue> validate_config(const ConfigNode& root);

bool has_errors(std::span<const ConfigIssue> issues);

// What the schema says of one value at a dotted key (`maculaos.timezone`, `hostname`;
// `ssh_authorized_keys` takes one list item): the first error's message, or "" when it fits.
std::string setting_problem(std::string_view dotted_key, std::string_view value);

// YAML 1.1's words for a flag, any case: true/yes/on, false/no/off; else nothing.
std::optional<bool> parse_boolean(std::string_view text);
// The flag at a dotted path, or fallback when it is not set (or not a flag: the schema said so).
bool config_flag(const ConfigNode& root, std::string_view dotted_key, bool fallback);

// The tree with the value of every secret key (maculaos.password, maculaos.token, users[].passwd) replaced by
// "(set)": what `maculaos config show` prints.
ConfigNode without_secrets(ConfigNode tree);

}  // namespace macula
