#include "config/config_command.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "common/args.h"
#include "common/files.h"
#include "config/config_apply.h"
#include "config/config_sources.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos config COMMAND

The node's config (README, "Node configuration"): the image's defaults
(/usr/share/maculaos/config.yaml), /var/lib/maculaos/config.yaml, /var/lib/maculaos/config.d/*.yaml
and the kernel command line's maculaos.KEY=VALUE words, merged in that order, later winning.
  show [--json]     the merged config, each value with the file:line:column it came from
                    (the values of maculaos.password and maculaos.token are hidden)
  get KEY           one value (dotted: maculaos.upgrade.url); exit 1 when it is not set
  apply [--stage boot]
                    the boot stage (the OpenRC service maculaos-config): the host name
                    (/etc/hostname), maculaos.password (a crypt hash, for user macula), the
                    literal ssh_authorized_keys (~macula/.ssh/authorized_keys). When a source
                    has an error, the last config that applied
                    (/var/lib/maculaos/applied-config.yaml) is applied instead, and the
                    errors are printed; exit 1 then
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
  const ConfigNode shown = without_secrets(merged->tree);
  const std::string out = args.has("json") ? config_json(shown, true) : config_yaml(shown, true);
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

// The last applied copy, when there is one that still parses.
std::optional<ConfigNode> applied_config() {
  auto text = read_file(kAppliedConfigPath);
  if (!text) return std::nullopt;
  auto tree = parse_config(*text, kAppliedConfigPath);
  return tree ? std::optional(std::move(*tree)) : std::nullopt;
}

Result<int> apply(const ParsedArgs& args) {
  if (args.value_or("stage", "boot") != "boot")
    return usage_error("--stage " + args.value_or("stage", "") + ": expected boot (the init and run stages are not written yet)");
  auto merged = node_config_now();
  if (!merged) return fail(merged.error());
  print_issues(merged->issues);
  const ChosenConfig chosen = choose_config(*merged, applied_config());
  if (chosen.fallback)
    std::fprintf(stderr, "config: a source has an error: applying the last config that applied (%s)\n", kAppliedConfigPath);
  const BootPlan plan = boot_plan(chosen.config);
  for (const std::string& key : plan.later)
    std::fprintf(stderr, "config: %s: needs the network, not applied at boot\n", key.c_str());
  if (auto r = apply_boot_plan(plan); !r) return fail(r.error());
  if (has_errors(merged->issues)) return 1;
  // a live system has no /var/lib/maculaos until now (secrets: 0700)
  const std::string dir = std::filesystem::path(kAppliedConfigPath).parent_path();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return fail_errno("mkdir " + dir);
  if (auto r = write_file_atomic(kAppliedConfigPath, config_yaml(chosen.config, false), 0600); !r) return fail(r.error());
  return 0;
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
  static constexpr OptionSpec kSpecs[] = {{"json"}, {"stage", 0, true}};
  auto args = parse_args("config", kSpecs, argv);
  if (!args) return fail(args.error());
  const auto& words = args->positional;
  const std::string command = words.empty() ? "" : words[0];
  if (args->has("stage") && command != "apply") return usage_error("--stage: only with apply");
  if (command == "show" && words.size() == 1) return show(*args);
  if (command == "apply" && words.size() == 1 && !args->has("json")) return apply(*args);
  if (command == "get" && words.size() == 2 && !args->has("json")) return get(words[1]);
  if (command == "validate" && words.size() == 2 && !args->has("json")) return validate(words[1]);
  return usage_error(command.empty() ? "expected a command: show, get KEY, apply or validate FILE"
                                     : "'" + command + "' with these arguments: expected show [--json], get KEY, apply [--stage boot] or validate FILE");
}

}  // namespace

Applet config_applet() { return {"config", "the node's config.yaml: show, get, apply, validate", kUsage, run}; }

}  // namespace macula
