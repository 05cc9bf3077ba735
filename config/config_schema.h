// What a node config may hold: every key of docs/configuration.md (k3OS's keys, the
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

// One key of the schema, as the reference (config/config_reference.h) and the reader's
// normalisation (config/config_normalize.h) see it. Keys under a list of mappings are
// KEY[].FIELD (write_files[].path), under a mapping of free names KEY.NAME.FIELD
// (maculaos.network.interfaces.NAME.dhcp).
struct SchemaKey {
  enum class Shape {
    value,          // one scalar
    list,           // a list of scalars
    map,            // free names to scalars (maculaos.sysctl)
    mapping,        // known fields, each a key of its own
    list_of,        // a list of mappings of known fields
    map_of,         // free names to mappings of known fields
  };
  std::string key;
  Shape shape = Shape::value;
  std::string takes;       // what a scalar (an item, a map's value) takes, as its check says it; "" any text
  std::string name_takes;  // map, map_of: what a name takes
  bool flag = false;       // the scalar is true or false
  bool secret = false;
  bool required = false;
};

// Every key, parents before their fields, in the schema's order.
std::vector<SchemaKey> schema_keys();

// The tree with the value of every secret key (maculaos.password, maculaos.token, users[].passwd) replaced by
// "(set)": what `maculaos config show` prints.
ConfigNode without_secrets(ConfigNode tree);

}  // namespace macula
