#include "config/sys/config_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "common/args.h"
#include "common/sys/interface_addresses.h"
#include "common/files.h"
#include "names/names.h"
#include "ab/boot_state_store.h"
#include "config/config_apply.h"
#include "config/config_reference.h"
#include "config/image_defaults.h"
#include "config/config_sources.h"
#include "config/config_status_report.h"
#include "config/firewall.h"
#include "config/remote_config.h"
#include "config/sys/remote_fetch.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos config COMMAND

The node's config (docs/configuration.md): the image's defaults
(/usr/share/maculaos/config.yaml), on live boots the media's maculaos/config.yaml,
/var/lib/maculaos/config.yaml, /var/lib/maculaos/config.d/*.yaml, a NoCloud seed (CIDATA: meta-data, then #cloud-config user-data), the config at the kernel
command line's macula.config_url=https://... (as fetched last) and its maculaos.KEY=VALUE
words, merged in that order, later winning.
  show [--json]     the merged config, each value with the file:line:column it came from
                    (the values of maculaos.password and maculaos.token are hidden), and
                    a comment for each mesh role that is on but not installed
  get KEY           one value (dotted: maculaos.upgrade.url); exit 1 when it is not set
  apply [--stage init|boot|network|run]
                    init: init_cmd (init runs it on the new root before OpenRC); boot (the
                    default; the OpenRC service maculaos-config): write_files, the host name,
                    maculaos.password (a crypt hash, for user macula), ssh_authorized_keys
                    (github:USER: as fetched last), modules, sysctl, environment, dns_nameservers,
                    ntp_servers, timezone, keyboard, locale, the network plan, the firewall
                    (nftables), mesh.env and the mesh role services,
                    /etc/rancher/k3s/config.yaml, then boot_cmd; network (the service
                    maculaos-config-network, once the network is up): fetches the config at
                    macula.config_url= and the keys of github:USER entries into
                    /var/lib/maculaos/remote, and applies the boot stage again when they
                    changed (a failed fetch is a warning); run: run_cmd (last in the
                    default runlevel). When a source has an error, the last config that
                    applied (/var/lib/maculaos/applied-config.yaml) is applied instead, and
                    the errors are printed; exit 1 then, and when a step failed
  status [--json]   what the boot stage of this boot applied, and each error (also in the
                    motd); exit 1 when there was one
  validate FILE     check FILE against the schema: each problem as FILE:LINE:COLUMN: KEY: what
                    was expected (unknown keys are warnings); exit 1 when there is an error.
                    A FILE starting with #cloud-config is read as a NoCloud user-data, one
                    named network-config as NoCloud's network-config, translated as the boot
                    does (docs/cloud-init.md)
  schema [--markdown|--json]
                    every key: its type, the image's default, what applies it and which
                    sources may set it, as Markdown (the default; docs/config-reference.md)
                    or as a JSON Schema (draft-07) for an editor's YAML language server
A source with an error is left out of the merge whole; show and get then say so on stderr and
exit 1, with what the other sources give on stdout.
)";

constexpr OptionSpec kOptions[] = {{"json"}, {"markdown"}, {"stage", 0, true}};

void print_issues(std::span<const ConfigIssue> issues) {
  for (const ConfigIssue& issue : issues) std::fprintf(stderr, "%s\n", issue.str().c_str());
}

// "maculaos.mesh: SERVICE: on, not installed (PATH)" for each role that is on while its
// daemon is not installed.
std::vector<std::string> mesh_daemons_missing(const std::vector<MeshRole>& roles) {
  std::vector<std::string> missing;
  for (const MeshRole& role : roles)
    if (const std::string daemon = std::string(kProductBinDir) + "/" + role.service; role.on && ::access(daemon.c_str(), X_OK) != 0)
      missing.push_back("maculaos.mesh: " + role.service + ": on, not installed (" + daemon + ")");
  return missing;
}

// The problems of the sources, and which config stands in for them.
void print_issues(const NodeConfig& chosen) {
  print_issues(chosen.issues);
  if (chosen.fallback)
    std::fprintf(stderr, "a source has an error: the node uses the last config that applied (%s)\n", kAppliedConfigPath);
}

Result<int> show(const ParsedArgs& args) {
  auto chosen = read_node_config();
  if (!chosen) return fail(chosen.error());
  print_issues(*chosen);
  const ConfigNode shown = without_secrets(chosen->config);
  std::string out = args.has("json") ? config_json(shown, true) : config_yaml(shown, true);
  if (!args.has("json"))  // as comments, so that the output still reads as a config
    for (const std::string& missing : mesh_daemons_missing(mesh_roles(chosen->config))) out += "# " + missing + "\n";
  std::fputs(out.c_str(), stdout);
  return has_errors(chosen->issues) ? 1 : 0;
}

Result<int> get(const std::string& key) {
  auto chosen = read_node_config();
  if (!chosen) return fail(chosen.error());
  print_issues(*chosen);
  const ConfigNode* node = config_at(chosen->config, key);
  if (!node) return fail(key + ": not set");
  const std::string out = node->is_scalar() ? node->text + "\n" : config_yaml(*node, false);
  std::fputs(out.c_str(), stdout);
  return has_errors(chosen->issues) ? 1 : 0;
}

Result<ConfigStage> stage_named(const std::string& name) {
  if (auto stage = named(kConfigStageNames, name)) return *stage;
  return usage_error("--stage " + name + ": expected init, boot, network or run");
}

// The boot stage: applies the plan, and keeps the config as the last that applied when every
// source was sound and every step worked. What happened goes to kConfigStatusPath too, for
// `config status` and the motd.
Result<int> apply_boot(const NodeConfig& chosen) {
  const std::vector<ConfigIssue>& issues = chosen.issues;
  const BootPlan plan = boot_plan(chosen.config, read_fetched_github_keys(chosen.config), ::access(kPairingCue, F_OK) == 0,
                                  ::access(booted_boot_state_dir().c_str(), F_OK) == 0);
  std::vector<std::string> notes;
  for (const ConfigIssue& issue : issues) notes.push_back(issue.str());
  if (chosen.fallback) notes.push_back(std::string("a source has an error: applied the last config that applied (") + kAppliedConfigPath + ")");
  for (const std::string& entry : plan.not_fetched)
    notes.push_back("ssh_authorized_keys: " + entry + ": not fetched yet (once the network is up)");
  for (const std::string& warning : plan.k3s.warnings) notes.push_back("warning: " + warning);
  const std::vector<Error> errors = apply_boot_plan(plan);
  for (const Error& error : errors) notes.push_back(error.text());
  for (const std::string& missing : mesh_daemons_missing(plan.mesh_roles)) notes.push_back(missing);
  for (std::size_t i = issues.size(); i < notes.size(); ++i) std::fprintf(stderr, "config: %s\n", notes[i].c_str());

  const bool sound = !has_errors(issues) && errors.empty();
  std::string status = sound ? "config: applied\n" : "config: applied with errors (maculaos config status)\n";
  for (const std::string& note : notes) status += "  " + note + "\n";
  if (auto r = write_file_atomic(kConfigStatusPath, status, 0644); !r)
    std::fprintf(stderr, "config: %s\n", r.error().text().c_str());
  if (!sound) return 1;
  // a live system has no /var/lib/maculaos until now (secrets: 0700)
  const std::string dir = std::filesystem::path(kAppliedConfigPath).parent_path();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return fail_errno("mkdir " + dir);
  if (auto r = write_file_atomic(kAppliedConfigPath, config_yaml(chosen.config, false), 0600); !r) return fail(r.error());
  return 0;
}

// The boot stage, from the sources as they are now.
Result<int> apply_boot_now() {
  auto chosen = read_node_config();
  if (!chosen) return fail(chosen.error());
  print_issues(chosen->issues);  // apply_boot says what stands in
  return apply_boot(*chosen);
}

// The network stage (the OpenRC service maculaos-config-network, once the network is up):
// fetches the config at macula.config_url= and the keys of github:USER entries into their
// copies, and when a copy changed applies the boot stage again (each of its steps is
// idempotent, the host name among them) so that this boot has them too. A fetch that
// fails is a warning: the copy fetched before, if any, stands in. Warnings go to the status
// too.
Result<int> apply_network() {
  auto cmdline = read_kernel_cmdline();
  if (!cmdline) return fail(cmdline.error());
  std::vector<std::string> warnings;
  bool changed = false;
  auto refreshed = [&](std::string_view what, const std::string& copy, const Result<bool>& r) {
    if (r) {
      changed = changed || *r;
      return;
    }
    const bool kept = ::access(copy.c_str(), F_OK) == 0;
    warnings.push_back(std::string(what) + ": not fetched (" + (kept ? "the copy fetched before stands in" : "none fetched yet") +
                       "): " + r.error().text());
  };
  if (auto url = config_url(*cmdline); url && *url) {
    const std::string& location = **url;
    const std::string copy = config_url_cache_path(location);
    refreshed(kCmdlineConfigUrl, copy, refresh_remote_copy(location, copy, kRemoteConfigMaxBytes, [&](std::string_view body) {
                return check_remote_config(body, location);
              }));
  }
  // the users as the config names them now: the fetched config may have named others
  auto chosen = read_node_config();
  if (!chosen) return fail(chosen.error());
  for (const std::string& user : github_users(chosen->config)) {
    const std::string copy = github_keys_cache_path(user);
    refreshed("ssh_authorized_keys: github:" + user, copy,
              refresh_remote_copy(github_keys_url(user), copy, kGithubKeysMaxBytes, [&](std::string_view body) -> Result<void> {
                if (auto keys = parse_github_keys(body, user); !keys) return fail(keys.error());
                return {};
              }));
  }
  int status = 0;
  if (changed) {
    std::printf("config: the network brought a new config or keys: applying the boot stage again\n");
    std::fflush(stdout);
    auto applied = apply_boot_now();
    if (!applied) return fail(applied.error());
    status = *applied;
  }
  if (auto addresses = interface_addresses(); !addresses) {
    warnings.push_back(addresses.error().text());
  } else if (std::string w = bootstrap_address_warning(chosen->config, address_texts(*addresses)); !w.empty()) {
    warnings.push_back(w);
  }
  if (warnings.empty()) return status;
  std::string kept = read_file(kConfigStatusPath).value_or("");
  for (const std::string& w : warnings) {
    std::fprintf(stderr, "config: warning: %s\n", w.c_str());
    kept += "  warning: " + w + "\n";
  }
  if (auto r = write_file_atomic(kConfigStatusPath, kept, 0644); !r) std::fprintf(stderr, "config: %s\n", r.error().text().c_str());
  return status;
}

Result<int> apply(const ParsedArgs& args) {
  auto stage = stage_named(args.value_or("stage", std::string(to_string(ConfigStage::boot))));
  if (!stage) return fail(stage.error());
  if (*stage == ConfigStage::network) return apply_network();
  if (*stage == ConfigStage::boot) return apply_boot_now();
  auto chosen = read_node_config();
  if (!chosen) return fail(chosen.error());
  // the init and run stages only run commands: the boot stage reports the sources' problems
  const std::vector<Error> errors =
      run_stage_commands(stage_commands(chosen->config, *stage), stage_commands_key(*stage));
  for (const Error& error : errors) std::fprintf(stderr, "config: %s\n", error.text().c_str());
  return errors.empty() ? 0 : 1;
}

// What the boot stage of this boot did (kConfigStatusPath); exit 1 when it had errors.
Result<int> status(bool json) {
  auto text = read_file(kConfigStatusPath);
  if (!text) return fail("no config status: the boot stage has not run in this boot", text.error().code);
  std::fputs(json ? config_status_json(*text).c_str() : text->c_str(), stdout);
  return text->starts_with("config: applied\n") ? 0 : 1;
}

Result<int> validate(const std::string& path) {
  auto text = read_file(path);
  if (!text) return fail(text.error());
  // as the boot reads it: a #cloud-config file is user-data, translated the same way
  const CheckedSource checked = check_config_text({path, *text, format_of_file(path, *text)});
  // a file that does not parse is one line, as any read error
  if (!checked.tree && checked.issues.size() == 1 && checked.issues[0].key.empty() &&
      checked.issues[0].severity == ConfigIssue::Severity::error)
    return fail(checked.issues[0].message);
  print_issues(checked.issues);
  if (has_errors(checked.issues)) return 1;
  std::printf("%s: valid\n", path.c_str());
  return 0;
}

// The reference of every key, the defaults those of the image this binary was built with.
Result<int> schema(const ParsedArgs& args) {
  if (args.has("json") && args.has("markdown")) return usage_error("schema: --markdown or --json, not both");
  auto defaults = parse_config(kImageDefaultsYaml, kImageConfigPath);
  if (!defaults) return fail(defaults.error());
  auto keys = config_reference(*defaults);
  if (!keys) return fail(keys.error());
  const std::string out = args.has("json") ? reference_json_schema(*keys) : reference_markdown(*keys);
  std::fputs(out.c_str(), stdout);
  return 0;
}

Result<int> run(std::span<const std::string> argv) {
  auto args = parse_args("config", kOptions, argv);
  if (!args) return fail(args.error());
  const auto& words = args->positional;
  const std::string command = words.empty() ? "" : words[0];
  if (args->has("stage") && command != "apply") return usage_error("--stage: only with apply");
  if (args->has("markdown") && command != "schema") return usage_error("--markdown: only with schema");
  if (command == "schema" && words.size() == 1) return schema(*args);
  if (command == "show" && words.size() == 1) return show(*args);
  if (command == "status" && words.size() == 1) return status(args->has("json"));
  if (command == "apply" && words.size() == 1 && !args->has("json")) return apply(*args);
  if (command == "get" && words.size() == 2 && !args->has("json")) return get(words[1]);
  if (command == "validate" && words.size() == 2 && !args->has("json")) return validate(words[1]);
  return usage_error(command.empty() ? "expected a command: show, get KEY, apply, status, validate FILE or schema"
                                     : "'" + command + "' with these arguments: expected show [--json], get KEY, apply [--stage init|boot|network|run], status [--json], validate FILE or schema [--markdown|--json]");
}

}  // namespace

Applet config_applet() {
  static constexpr std::string_view kCommands[] = {"show", "get", "apply", "status", "validate", "schema"};
  static constexpr std::string_view kRootWords[] = {"apply"};
  return {.name = "config", .summary = "the node's config.yaml: show, get, apply, status, validate, schema", .usage = kUsage, .run = run,
          .commands = kCommands, .options = kOptions, .root_words = kRootWords};
}

}  // namespace macula
