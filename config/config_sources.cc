#include "config/config_sources.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "common/files.h"
#include "names/names.h"
#include "config/config_normalize.h"
#include "config/nocloud.h"
#include "config/nocloud_network.h"
#include "config/remote_config.h"
#include "config/node_config.h"

namespace macula {

CheckedSource check_config_text(const ConfigText& t) {
  CheckedSource checked;
  const bool user_data = t.format == ConfigText::Format::nocloud_user_data ||
                         t.format == ConfigText::Format::nocloud_applied_user_data;
  if (user_data && !t.text.starts_with(kCloudConfigMarker)) {
    checked.issues.push_back({ConfigIssue::Severity::warning, {t.source, 1, 1}, "",
                              "not a cloud-config (the first line is not #cloud-config): ignored"});
    return checked;
  }
  auto tree = parse_config(t.text, t.source);
  if (!tree) {
    // the message names the place (SOURCE:LINE:COLUMN): the issue has no key of its own
    checked.issues.push_back({ConfigIssue::Severity::error, {t.source}, "", tree.error().message});
    return checked;
  }
  TranslatedConfig translated;
  switch (t.format) {
    case ConfigText::Format::config: translated.tree = std::move(*tree); break;
    case ConfigText::Format::nocloud_meta_data: translated.tree = from_nocloud_meta_data(*tree); break;
    case ConfigText::Format::nocloud_network_config: translated = from_nocloud_network_config(*tree); break;
    case ConfigText::Format::nocloud_user_data: translated = from_cloud_config(*tree); break;
    case ConfigText::Format::nocloud_applied_user_data: translated = from_applied_cloud_config(*tree); break;
  }
  checked.issues = std::move(translated.issues);
  std::ranges::move(normalize_and_validate(translated.tree), std::back_inserter(checked.issues));
  if (!has_errors(checked.issues)) checked.tree = std::move(translated.tree);
  return checked;
}

ConfigText::Format format_of_file(std::string_view path, std::string_view text) {
  if (std::filesystem::path(path).filename() == "network-config") return ConfigText::Format::nocloud_network_config;
  return text.starts_with(kCloudConfigMarker) ? ConfigText::Format::nocloud_user_data : ConfigText::Format::config;
}

MergedConfig merge_config_sources(std::span<const ConfigText> texts, std::span<const CmdlineParam> cmdline) {
  MergedConfig merged;
  auto add = [&](CheckedSource checked) {
    std::ranges::move(checked.issues, std::back_inserter(merged.issues));
    if (checked.tree) merge_config(merged.tree, *checked.tree);
  };
  for (const ConfigText& t : texts) add(check_config_text(t));
  if (auto url = config_url(cmdline); !url)
    merged.issues.push_back({ConfigIssue::Severity::error, {"kernel command line"}, "", "kernel command line: " + url.error().message});
  ConfigNode words = cmdline_config(cmdline);
  std::vector<ConfigIssue> issues = normalize_and_validate(words);
  add({has_errors(issues) ? std::nullopt : std::optional(words), std::move(issues)});
  return merged;
}

std::vector<std::string> config_drop_ins(const std::string& state_root) {
  std::error_code ec;
  std::vector<std::string> drop_ins;
  for (const auto& entry : std::filesystem::directory_iterator(state_root + kConfigDropInDir, ec))
    if (entry.path().extension() == ".yaml") drop_ins.push_back(entry.path());
  std::ranges::sort(drop_ins);
  return drop_ins;
}

Result<std::vector<ConfigText>> read_config_files(std::span<const CmdlineParam> cmdline, const ConfigRoots& roots) {
  // live boots only have the media mounted (the path does not exist on an installed one)
  std::vector<std::string> paths = {roots.image + kImageConfigPath, std::string(kMediaMount) + "/" + std::string(kMediaConfig)};
  if (roots.state) {
    paths.push_back(*roots.state + kNodeConfigPath);
    std::ranges::move(config_drop_ins(*roots.state), std::back_inserter(paths));
  }
  std::vector<std::pair<std::string, ConfigText::Format>> sources;
  for (std::string& path : paths) sources.emplace_back(std::move(path), ConfigText::Format::config);
  if (roots.state) {
    const std::string instance = *roots.state + kNoCloudInstanceDir;
    sources.emplace_back(instance + "/meta-data", ConfigText::Format::nocloud_meta_data);
    sources.emplace_back(instance + "/network-config", ConfigText::Format::nocloud_network_config);
    sources.emplace_back(instance + "/user-data", ConfigText::Format::nocloud_applied_user_data);
  }
  const std::string seed = kNoCloudSeedDir;
  sources.emplace_back(seed + "/meta-data", ConfigText::Format::nocloud_meta_data);
  sources.emplace_back(seed + "/network-config", ConfigText::Format::nocloud_network_config);
  sources.emplace_back(seed + "/user-data", ConfigText::Format::nocloud_user_data);
  std::vector<ConfigText> texts;
  auto add = [&](const std::string& path, const std::string& source, ConfigText::Format format) -> Result<void> {
    auto text = read_file(path, kRemoteConfigMaxBytes);
    if (!text && text.error().code == ENOENT) return {};
    if (!text) return fail(text.error());
    texts.push_back({source, std::move(*text), format});
    return {};
  };
  for (const auto& [path, format] : sources)
    if (auto r = add(path, path, format); !r) return fail(r.error());
  // named by its URL: that is what the node's owner wrote and can fix
  if (auto url = config_url(cmdline); roots.state && url && *url)
    if (auto r = add(*roots.state + config_url_cache_path(**url), **url, ConfigText::Format::config); !r)
      return fail(r.error());
  return texts;
}

NodeConfig choose_config(const MergedConfig& merged, const std::optional<ConfigNode>& applied) {
  if (has_errors(merged.issues) && applied) return {*applied, merged.issues, true};
  return {merged.tree, merged.issues, false};
}

namespace {

// The last applied copy, when there is one that still parses.
std::optional<ConfigNode> applied_config(const std::string& path) {
  auto text = read_file(path, kRemoteConfigMaxBytes);
  if (!text) return std::nullopt;
  auto tree = parse_config(*text, kAppliedConfigPath);
  return tree ? std::optional(std::move(*tree)) : std::nullopt;
}

}  // namespace

Result<NodeConfig> read_node_config(const ConfigRoots& roots) {
  auto cmdline = read_kernel_cmdline();
  if (!cmdline) return fail(cmdline.error());
  auto texts = read_config_files(*cmdline, roots);
  if (!texts) return fail(texts.error());
  const MergedConfig merged = merge_config_sources(*texts, *cmdline);
  return choose_config(merged, roots.state ? applied_config(*roots.state + kAppliedConfigPath) : std::nullopt);
}

}  // namespace macula
