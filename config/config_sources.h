// Where a node's config comes from and how the sources become one config. The merge is pure
// (config texts in, a tree and its issues out); reading the files is the thin part.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "common/kernel_cmdline.h"
#include "common/result.h"
#include "config/config_schema.h"
#include "config/config_tree.h"

namespace macula {

// The image's defaults (rootfs/overlay), under everything else.
inline constexpr const char* kImageConfigPath = "/usr/share/maculaos/config.yaml";
// More files merged after config.yaml, in name order (only *.yaml).
inline constexpr const char* kConfigDropInDir = "/var/lib/maculaos/config.d";

struct ConfigText {
  enum class Format { config, nocloud_meta_data, nocloud_user_data };  // config/nocloud.h
  std::string source;  // the path it was read from
  std::string text;
  Format format = Format::config;
};

struct MergedConfig {
  ConfigNode tree;                  // every source that parsed and validated, merged in order
  std::vector<ConfigIssue> issues;  // of every source; a source with an error is left out whole
};

// Merges the texts in order, then the `maculaos.KEY=VALUE` words of the command line, each
// later source winning per key (config_tree.h: mappings merge, lists and scalars replace). A
// macula.config_url= that is not https is an error of the command line.
MergedConfig merge_config_sources(std::span<const ConfigText> texts, std::span<const CmdlineParam> cmdline);

// The files of a node, in merge order, those that exist: the image's defaults, the live
// media's config (common/media_layout.h), config.yaml, config.d/*.yaml, the NoCloud seed init
// copied (meta-data, then user-data), the copy of the config at the command line's
// macula.config_url= (config/remote_config.h). A file that exists but cannot be read is an
// error.
Result<std::vector<ConfigText>> read_config_files(std::span<const CmdlineParam> cmdline);

// The node's config now: the files above and this boot's kernel command line, merged.
Result<MergedConfig> read_node_config();

}  // namespace macula
