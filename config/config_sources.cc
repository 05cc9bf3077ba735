#include "config/config_sources.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "common/files.h"
#include "common/media_layout.h"
#include "common/run_paths.h"
#include "config/nocloud.h"
#include "config/remote_config.h"
#include "config/node_config.h"

namespace macula {

MergedConfig merge_config_sources(std::span<const ConfigText> texts, std::span<const CmdlineParam> cmdline) {
  MergedConfig merged;
  auto add = [&](const ConfigNode& tree) {
    std::vector<ConfigIssue> issues = validate_config(tree);
    const bool bad = has_errors(issues);
    std::ranges::move(issues, std::back_inserter(merged.issues));
    if (!bad) merge_config(merged.tree, tree);
  };
  for (const ConfigText& t : texts) {
    if (t.format == ConfigText::Format::nocloud_user_data && !t.text.starts_with(kCloudConfigMarker)) {
      merged.issues.push_back({ConfigIssue::Severity::warning, {t.source, 1, 1}, "",
                               "not a cloud-config (the first line is not #cloud-config): ignored"});
      continue;
    }
    auto tree = parse_config(t.text, t.source);
    if (!tree) {
      // the message names the place (SOURCE:LINE:COLUMN): the issue has no key of its own
      merged.issues.push_back({ConfigIssue::Severity::error, {t.source}, "", tree.error().message});
      continue;
    }
    switch (t.format) {
      case ConfigText::Format::config: add(*tree); break;
      case ConfigText::Format::nocloud_meta_data: add(from_nocloud_meta_data(*tree)); break;
      case ConfigText::Format::nocloud_user_data: add(from_cloud_config(*tree)); break;
    }
  }
  if (auto url = config_url(cmdline); !url)
    merged.issues.push_back({ConfigIssue::Severity::error, {"kernel command line"}, "", "kernel command line: " + url.error().message});
  add(cmdline_config(cmdline));
  return merged;
}

Result<std::vector<ConfigText>> read_config_files(std::span<const CmdlineParam> cmdline) {
  // live boots only have the media mounted (the path does not exist on an installed one)
  const std::string media_config = std::string(kMediaMount) + "/" + std::string(kMediaConfig);
  std::vector<std::string> paths = {kImageConfigPath, media_config, kNodeConfigPath};
  std::error_code ec;
  std::vector<std::string> drop_ins;
  for (const auto& entry : std::filesystem::directory_iterator(kConfigDropInDir, ec))
    if (entry.path().extension() == ".yaml") drop_ins.push_back(entry.path());
  std::ranges::sort(drop_ins);
  paths.insert(paths.end(), drop_ins.begin(), drop_ins.end());
  std::vector<std::pair<std::string, ConfigText::Format>> sources;
  for (std::string& path : paths) sources.emplace_back(std::move(path), ConfigText::Format::config);
  const std::string seed = kNoCloudSeedDir;
  sources.emplace_back(seed + "/meta-data", ConfigText::Format::nocloud_meta_data);
  sources.emplace_back(seed + "/user-data", ConfigText::Format::nocloud_user_data);
  std::vector<ConfigText> texts;
  auto add = [&](const std::string& path, const std::string& source, ConfigText::Format format) -> Result<void> {
    auto text = read_file(path);
    if (!text && text.error().code == ENOENT) return {};
    if (!text) return fail(text.error());
    texts.push_back({source, std::move(*text), format});
    return {};
  };
  for (const auto& [path, format] : sources)
    if (auto r = add(path, path, format); !r) return fail(r.error());
  // named by its URL: that is what the node's owner wrote and can fix
  if (auto url = config_url(cmdline); url && *url)
    if (auto r = add(config_url_cache_path(**url), **url, ConfigText::Format::config); !r) return fail(r.error());
  return texts;
}

Result<MergedConfig> read_node_config() {
  auto cmdline = read_kernel_cmdline();
  if (!cmdline) return fail(cmdline.error());
  auto texts = read_config_files(*cmdline);
  if (!texts) return fail(texts.error());
  return merge_config_sources(*texts, *cmdline);
}

}  // namespace macula
