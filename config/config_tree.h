// A node config as a tree of values, each with the file, line and column it came from: what
// the schema checks (config/config_schema.h), what the sources merge into, and what
// `maculaos config show|get` prints. libyaml parses; every scalar stays text (YAML's plain
// `true`, `8080` are told apart by the schema, which knows what each key wants).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/kernel_cmdline.h"
#include "common/result.h"

namespace macula {

struct ConfigMark {
  std::string source;  // a path, "kernel command line", ...
  int line = 0;        // from 1; 0 when the source has no lines
  int column = 0;

  // "SOURCE:LINE:COLUMN", or "SOURCE" without a line.
  std::string str() const;
};

struct ConfigNode {
  enum class Kind { scalar, sequence, mapping };
  Kind kind = Kind::mapping;
  std::string text;                                     // a scalar's text
  std::vector<ConfigNode> items;                        // a sequence's items
  std::vector<std::pair<std::string, ConfigNode>> pairs;  // a mapping's keys, in source order
  ConfigMark mark;                                      // where the value starts

  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_mapping() const { return kind == Kind::mapping; }
  const ConfigNode* find(std::string_view key) const;  // a mapping's value for key, or null
};

// Parses one YAML document whose top level is a mapping (an empty text is an empty mapping).
// Fails with "SOURCE:LINE:COLUMN: problem". Aliases are expanded; a document that expands
// past a size no config reaches (a "billion laughs") is refused.
Result<ConfigNode> parse_config(std::string_view yaml, std::string_view source);

// The k3OS rule: a later source merges into an earlier one key by key where both hold a
// mapping; anything else (a scalar, a list) is replaced whole by the later value.
void merge_config(ConfigNode& into, const ConfigNode& later);

// The `maculaos.KEY=VALUE` words of the kernel command line as a config under `maculaos:`
// (k3OS read `k3os.KEY=`): dots in KEY nest (`maculaos.mesh.roles.gateway=true`), a colon
// ends the nesting, the rest being one name with its dots (`maculaos.sysctl:net.ipv4.ip_forward=1`),
// a bare word is "true", a key given twice becomes a list.
ConfigNode cmdline_config(std::span<const CmdlineParam> params);

// The value at a dotted path (`maculaos.upgrade.url`), or null.
const ConfigNode* config_at(const ConfigNode& root, std::string_view dotted_key);

// A scalar's text at a dotted path, when there is a scalar there.
std::optional<std::string> config_text(const ConfigNode& root, std::string_view dotted_key);

// The scalars of the list at a dotted path, in order (none when there is no list there).
std::vector<std::string> config_texts(const ConfigNode& root, std::string_view dotted_key);

// The tree as YAML (block style, scalars double-quoted) or as JSON (scalars as strings).
// with_sources: YAML gains a `# SOURCE:LINE:COLUMN` comment on each value; JSON becomes
// {"config": ..., "sources": {"dotted.key": "SOURCE:LINE:COLUMN", ...}}.
std::string config_yaml(const ConfigNode& root, bool with_sources);
std::string config_json(const ConfigNode& root, bool with_sources);

}  // namespace macula
