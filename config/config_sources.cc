#include "config/config_sources.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "common/files.h"
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
    auto tree = parse_config(t.text, t.source);
    if (!tree) {
      // the message names the place (SOURCE:LINE:COLUMN): the issue has no key of its own
      merged.issues.push_back({ConfigIssue::Severity::error, {t.source}, "", tree.error().message});
      continue;
    }
    add(*tree);
  }
  add(cmdline_config(cmdline));
  return merged;
}

Result<std::vector<ConfigText>> read_config_files() {
  std::vector<std::string> paths = {kImageConfigPath, kNodeConfigPath};
  std::error_code ec;
  std::vector<std::string> drop_ins;
  for (const auto& entry : std::filesystem::directory_iterator(kConfigDropInDir, ec))
    if (entry.path().extension() == ".yaml") drop_ins.push_back(entry.path());
  std::ranges::sort(drop_ins);
  paths.insert(paths.end(), drop_ins.begin(), drop_ins.end());
  std::vector<ConfigText> texts;
  for (const std::string& path : paths) {
    auto text = read_file(path);
    if (!text && text.error().code == ENOENT) continue;
    if (!text) return fail(text.error());
    texts.push_back({path, std::move(*text)});
  }
  return texts;
}

}  // namespace macula
