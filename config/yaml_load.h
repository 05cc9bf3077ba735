// Loading one YAML document with libyaml, shared by the config tree (config_tree.cc) and the
// installer's in-place edits of config.yaml (node_config.cc).
#pragma once

#include <yaml.h>

#include <string_view>

#include "common/result.h"

namespace macula {

// Loads `text` into `doc` (which the caller then owns and deletes): exactly one document, whose
// root is a mapping; an empty text loads as an empty mapping. Fails with
// "SOURCE:LINE:COLUMN: problem"; `doc` is then empty and needs no delete.
Result<void> load_yaml_mapping(std::string_view text, std::string_view source, yaml_document_t* doc);

}  // namespace macula
