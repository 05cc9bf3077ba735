#include "config/config_command.h"

#include <cstdio>

#include "common/args.h"
#include "common/files.h"
#include "config/config_sources.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos config COMMAND

The node's config (README, "Node configuration"): the image's defaults
(/usr/share/maculaos/config.yaml), /var/lib/maculaos/config.yaml, /var/lib/maculaos/config.d/*.yaml
and the kernel command line's maculaos.KEY=VALUE words, merged in that order, later winning.
  show [--json]     the merged config, each value with the file:line:column it came from
  get KEY           one value (dotted: maculaos.upgrade.url); exit 1 when it is not set
  validate FILE     check FILE against the schema: each problem as FILE:LINE:COLUMN: KEY: what
                    was expected (unknown keys are warnings); exit 1 when there is an error
A source with an error is left out of the merge whole; show and get then say so on stderr and
exit 1, with what the other sources give on stdout.
)";

void print_issues(std::span<const ConfigIssue> issues) {
  for (const ConfigIssue& issue : issues) std::fprintf(stderr, "%s\n", issue.str().c_str());
}

Result<MergedConfig> node_config_now() {
  auto texts = read_config_files();
  if (!texts) return fail(texts.error());
  auto cmdline = read_kernel_cmdline();
  if (!cmdline) return fail(cmdline.error());
  return merge_config_sources(*texts, *cmdline);
}

Result<int> show(const ParsedArgs& args) {
  auto merged = node_config_now();
  if (!merged) return fail(merged.error());
  print_issues(merged->issues);
  const std::string out = args.has("json") ? config_json(merged->tree, true) : config_yaml(merged->tree, true);
  std::fputs(out.c_str(), stdout);
  return has_errors(merged->issues) ? 1 : 0;
}

Result<int> get(const std::string& key) {
  auto merged = node_config_now();
  if (!merged) return fail(merged.error());
  print_issues(merged->issues);
  const ConfigNode* node = config_at(merged->tree, key);
  if (!node) return fail(key + ": not set");
  const std::string out = node->is_scalar() ? node->text + "\n" : config_yaml(*node, false);
  std::fputs(out.c_str(), stdout);
  return has_errors(merged->issues) ? 1 : 0;
}

Result<int> validate(const std::string& path) {
  auto text = read_file(path);
  if (!text) return fail(text.error());
  auto tree = parse_config(*text, path);
  if (!tree) return fail(tree.error());
  const std::vector<ConfigIssue> issues = validate_config(*tree);
  print_issues(issues);
  if (has_errors(issues)) return 1;
  std::printf("%s: valid\n", path.c_str());
  return 0;
}

Result<int> run(std::span<const std::string> argv) {
  static constexpr OptionSpec kSpecs[] = {{"json"}};
  auto args = parse_args("config", kSpecs, argv);
  if (!args) return fail(args.error());
  const auto& words = args->positional;
  const std::string command = words.empty() ? "" : words[0];
  if (command == "show" && words.size() == 1) return show(*args);
  if (command == "get" && words.size() == 2 && !args->has("json")) return get(words[1]);
  if (command == "validate" && words.size() == 2 && !args->has("json")) return validate(words[1]);
  return usage_error(command.empty() ? "expected a command: show, get KEY or validate FILE"
                                     : "'" + command + "' with these arguments: expected show [--json], get KEY or validate FILE");
}

}  // namespace

Applet config_applet() { return {"config", "the node's config.yaml: show, get, validate", kUsage, run}; }

}  // namespace macula
