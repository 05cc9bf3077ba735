// The node config's reference, generated: every key of the schema (config/config_schema.h) with
// its type, the image's default, what applies it and which sources may set it, described in one
// table (config_reference.cc) keyed by dotted key. `maculaos config schema` prints it as
// Markdown (docs/config-reference.md is that output) or as a JSON Schema for editors.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "config/config_schema.h"
#include "config/config_tree.h"

namespace macula {

struct KeyReference {
  SchemaKey schema;
  std::string description;
  std::string applied_by;            // what reads or applies it: the boot stage, `maculaos setup`, ...
  std::vector<std::string> sources;  // which sources may set it (short names, as the intro lists them)
  std::string command_line;          // how the kernel command line spells it; "" when it cannot
  std::optional<std::string> image_default;  // as YAML flow text: io.macula, [a, b]
};

// Every schema key with its entry, in the schema's order, the defaults taken from image_defaults
// (the image's /usr/share/maculaos/config.yaml). Fails naming each key without an entry and each
// entry without a key (or given twice): the table and the schema are kept in step by this.
Result<std::vector<KeyReference>> config_reference(const ConfigNode& image_defaults);

std::string reference_markdown(const std::vector<KeyReference>& keys);

// A JSON Schema (draft-07, which editors' YAML language servers read) of a config.yaml.
std::string reference_json_schema(const std::vector<KeyReference>& keys);

}  // namespace macula
