// Where a node's config comes from and how the sources become one config. The merge is pure
// (config texts in, a tree and its issues out); reading the files is the thin part.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/kernel_cmdline.h"
#include "common/result.h"
#include "config/config_schema.h"
#include "config/config_tree.h"
#include "names/names.h"

namespace macula {


struct ConfigText {
  // config/nocloud.h, config/nocloud_network.h; applied: the user-data of the instance applied
  // at an earlier boot
  enum class Format { config, nocloud_meta_data, nocloud_network_config, nocloud_user_data, nocloud_applied_user_data };
  std::string source;  // the path it was read from
  std::string text;
  Format format = Format::config;
};

// One source as the merge takes it: parsed, translated from its format (config/nocloud.h) and
// checked by the schema. `maculaos config validate` checks a file so too.
struct CheckedSource {
  std::optional<ConfigNode> tree;   // none when it has an error (it is left out of the merge whole)
  std::vector<ConfigIssue> issues;
};
CheckedSource check_config_text(const ConfigText& text);

// The format a file is read in on its own (`config validate`): NoCloud's network-config when it
// is named so, user-data when it starts with #cloud-config, else a config.yaml.
ConfigText::Format format_of_file(std::string_view path, std::string_view text);

struct MergedConfig {
  ConfigNode tree;                  // every source that parsed and validated, merged in order
  std::vector<ConfigIssue> issues;  // of every source; a source with an error is left out whole
};

// Merges the texts in order, then the `maculaos.KEY=VALUE` words of the command line, each
// later source winning per key (config_tree.h: mappings merge, lists and scalars replace). A
// macula.config_url= that is not https is an error of the command line.
MergedConfig merge_config_sources(std::span<const ConfigText> texts, std::span<const CmdlineParam> cmdline);

// Where the node's files are, seen by the process that reads them. The booted system sees each
// at its own path. PID 1, before switch_root, sees the image's files under kRootImageMount and
// the state's (kStateDir's) under the state partition's mount, and a live boot has no state yet.
struct ConfigRoots {
  std::string image;                 // put in front of kImageConfigPath
  std::optional<std::string> state;  // put in front of kStateDir's files; nullopt: no state
};
inline const ConfigRoots kBootedSystem{"", ""};

// The drop-ins of kConfigDropInDir under state_root (*.yaml), in name order: the order they merge in.
std::vector<std::string> config_drop_ins(const std::string& state_root);

// The files of a node, in merge order, those that exist: the image's defaults, the live
// media's config (names/names.h), config.yaml, config.d/*.yaml (*.yaml, in name order), the
// NoCloud instance the node applied at an earlier boot, the seed init copied at this one (a new
// instance, or a live boot's; meta-data, network-config, then user-data), the copy of the config at the command
// line's macula.config_url= (config/remote_config.h). Each read is capped (PID 1 reads them
// too). A file that exists but cannot be read is an error.
Result<std::vector<ConfigText>> read_config_files(std::span<const CmdlineParam> cmdline,
                                                  const ConfigRoots& roots = kBootedSystem);

// The config the node runs with, as every consumer takes it: the boot stage, init (the trial
// watchdog, live persistence), upgrade, setup, pairing and `maculaos config get`.
struct NodeConfig {
  ConfigNode config;
  std::vector<ConfigIssue> issues;  // of every source
  bool fallback = false;            // a source has an error: config is the last that applied
};

// The merge when no source has an error, else the last applied copy (kAppliedConfigPath: a bad
// edit never takes away a working node's name, password or keys), or the merge of the sources
// without an error when there is no copy yet.
NodeConfig choose_config(const MergedConfig& merged, const std::optional<ConfigNode>& applied);

// The node's config now: the files above and this boot's kernel command line, merged and chosen.
// The one reader of the node config.
Result<NodeConfig> read_node_config(const ConfigRoots& roots = kBootedSystem);

}  // namespace macula
