// maculaos upgrade: the command line of the upgrader. What --apply, --rollback and --check do,
// in which order, is upgrade/upgrade_sequence.h; the node's effects, upgrade/sys/upgrade_system.h.
#include "upgrade/sys/upgrade_command.h"

#include <sys/utsname.h>

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>
#include <filesystem>

#include "ab/sys/boot_context.h"
#include "common/args.h"
#include "common/files.h"
#include "common/utc_time.h"
#include "config/config_sources.h"
#include "config/node_config.h"
#include "net/sys/post_json.h"
#include "net/sys/resource.h"
#include "setup/setup_plan.h"
#include "upgrade/auto_check.h"
#include "upgrade/github_releases.h"
#include "upgrade/signature.h"
#include "upgrade/upgrade_sequence.h"
#include "upgrade/sys/auto_apply_run.h"
#include "upgrade/sys/upgrade_system.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos upgrade --check|--apply|--rollback|--status|--watch [OPTIONS]

A/B upgrades from signed releases (see docs/upgrades.md).
  --check [--json]    print the running and the available version; exit 0 if a newer one
                      is available, 3 if not, an error's status otherwise (docs/exit-codes.md)
  --apply             verify the release's signature, stream it into the standby slot,
                      read it back and check every SHA-256, then boot it next on trial
                      (3 tries; if it does not boot good, GRUB returns to this slot)
  --allow-downgrade   with --apply: install a release that is not newer than the running one
                      (by default refused: a replayed old release must not take a node back)
  --rollback          make the other slot primary again (it must be good)
  --status [--json]   both slots, the booted one, the trial, and any fallback
  --watch             the auto_check service's loop (maculaos.upgrade.auto_check): once the
                      booted slot is good, check the channel, keep the answer for sysinfo
                      and the motd, and check again a day later (sooner after a failure);
                      with maculaos.upgrade.auto_apply, apply a newer release in the
                      maintenance window and reboot into it
Options:
  --from URL|DIR|FILE the release: a manifest URL or file, or the URL or directory that
                      holds manifest.json (default: maculaos.upgrade.url and .channel of
                      the node config: <url>/<channel>/manifest.json)
  --reboot            reboot when --apply or --rollback is done
  --ca FILE           PEM CA bundle for https (default: the system's)
  --keys DIR          public keys to verify releases with (default /etc/maculaos/keys)
)";

constexpr OptionSpec kOptions[] = {
    {"check", 0, false}, {"apply", 0, false}, {"rollback", 0, false}, {"status", 0, false},
    {"json", 0, false},  {"from", 0, true},   {"reboot", 0, false},   {"ca", 0, true},
    {"keys", 0, true},   {"allow-downgrade", 0, false}, {"watch", 0, false},
};

// The release of channel a github:// source offers for this machine (github_releases.h),
// through GitHub's REST API: unauthenticated, so 60 requests an hour per address.
Result<ReleaseSource> github_release(const GithubRepo& repo, const std::string& channel, const std::string& ca_file) {
  struct utsname machine {};
  ::uname(&machine);
  auto arch = release_arch(machine.machine);
  if (!arch) return fail(arch.error());
  const std::string url = github_releases_url(repo);
  // GitHub refuses a request without a User-Agent; the version pins the API's answer
  auto answer = request_json({.url = url,
                              .headers = {"User-Agent: " + version_line(), "X-GitHub-Api-Version: 2022-11-28"},
                              .accept = "application/vnd.github+json",
                              .ca_file = ca_file,
                              .max_bytes = 8 << 20});  // 100 releases with their notes
  if (!answer) return fail(answer.error());
  const RateLimitHeaders limit{.retry_after = answer->header("Retry-After"),
                               .remaining = answer->header("X-RateLimit-Remaining"),
                               .reset = answer->header("X-RateLimit-Reset")};
  if (auto until = rate_limited_until(answer->status, limit, std::time(nullptr)))
    return fail(ErrorKind::busy, "GET " + url + ": GitHub's API rate limit: try again after " +
                                     utc_time_text(*until, "%Y-%m-%d %H:%M:%S UTC"));
  if (answer->status != 200)
    return fail(ErrorKind::network, "GET " + url + ": HTTP " + std::to_string(answer->status));
  auto release = pick_github_release(answer->body, channel, *arch, url);
  if (!release) return fail(release.error());
  return ReleaseSource{.manifest = release->manifest_url,
                       .channel = channel,
                       .released = release->published_at,
                       .notes_url = release->notes_url};
}

// Where the release is: --from, else maculaos.upgrade.url and .channel of the node config.
Result<ReleaseSource> release_source(const ParsedArgs& p) {
  if (p.has("from")) {
    std::string from = p.values.at("from");
    std::error_code ec;
    const bool dir = is_url(from) ? !from.ends_with(".json") : std::filesystem::is_directory(from, ec);
    while (dir && from.ends_with('/')) from.pop_back();
    return ReleaseSource{.manifest = dir ? from + "/manifest.json" : from};
  }
  auto config = read_node_config();
  if (!config) return fail("no --from, and the release source (maculaos.upgrade.url) cannot be read", config.error());
  const UpgradeSettings settings = upgrade_settings(config->config);
  // A live system and a node whose config sets no source (the image's defaults set none)
  if (settings.url.empty())
    return fail(ErrorKind::not_found, "no release source: the node config sets no maculaos.upgrade.url: "
                "give --from URL|DIR|FILE, or set it in " + std::string(kNodeConfigPath) + ", " + kConfigDropInDir +
                ", the live media's " + std::string(kMediaConfig) + " or the kernel command line (maculaos.upgrade.url=)");
  auto github = parse_github_source(settings.url);
  if (!github) return fail("maculaos.upgrade.url", github.error());
  if (*github) return github_release(**github, settings.channel, p.value_or("ca", ""));
  return ReleaseSource{.manifest = settings.url + "/" + settings.channel + "/manifest.json", .channel = settings.channel};
}

Result<int> run_action(const ParsedArgs& p) {
  const bool json = p.has("json");
  NodeUpgradeSystem node(p.value_or("ca", ""), p.value_or("keys", kReleaseKeysDir), json ? stderr : stdout);
  if (p.has("rollback")) {
    if (auto r = roll_back(node, p.has("reboot")); !r) return fail(r.error());
    return 0;
  }
  auto src = release_source(p);
  if (!src) return fail(src.error());
  if (p.has("check")) {
    auto check = check_for_upgrade(node, *src);
    if (!check) return fail(check.error());
    std::fputs((json ? check_json : check_text)(*check).c_str(), stdout);
    return check_exit_status(*check);
  }
  if (auto r = apply_upgrade(node, *src, {.allow_downgrade = p.has("allow-downgrade"), .reboot = p.has("reboot")}); !r)
    return fail(r.error());
  return 0;
}

// Whether this boot waits before its first check: an installed node's slot on trial, until the
// boot assessment marks it good (a live system has no boot state: no wait).
bool on_trial() {
  auto view = read_boot_view();
  return view && view->booted && view->state.trial == *view->booted;
}

// One check of the configured channel; its answer kept (0644, inside the state that is root's:
// the motd, run as root, and sudo sysinfo read it).
struct KeptAnswer {
  ReleaseSource source;
  UpgradeCheck check;
};
Result<KeptAnswer> check_and_keep(const ParsedArgs& p, NodeUpgradeSystem& node) {
  auto src = release_source(p);
  if (!src) return fail(src.error());
  auto check = check_for_upgrade(node, *src);
  if (!check) return fail(check.error());
  if (auto r = make_directory(kUpgradeStateDir, 0755); !r) return fail(r.error());
  const KeptCheck kept{.check = *check, .checked_at = static_cast<std::int64_t>(std::time(nullptr))};
  if (auto r = write_file_atomic(kAvailableReleasePath, kept_check_json(kept), 0644); !r) return fail(r.error());
  return KeptAnswer{*src, *check};
}

// --watch: the auto_check service's loop (and auto_apply's). Its output is the service's log,
// never the console.
Result<int> watch(const ParsedArgs& p) {
  NodeUpgradeSystem node(p.value_or("ca", ""), p.value_or("keys", kReleaseKeysDir), stdout);
  while (on_trial()) std::this_thread::sleep_for(std::chrono::seconds(30));
  for (int failures = 0;;) {
    // a k3s node back from auto_apply's reboot: in service again before anything else
    const bool settled = settle_pending_apply();
    auto config = read_node_config();
    const UpgradeSettings settings = config ? upgrade_settings(config->config) : UpgradeSettings{};
    if (!settings.auto_check) {
      std::puts("maculaos.upgrade.auto_check is off: no checks");
      return 0;
    }
    auto answer = check_and_keep(p, node);
    failures = answer ? 0 : failures + 1;
    if (answer)
      std::printf("checked: %s\n", answer->check.newer ? available_line(answer->check, answer->check.current).c_str() : "up to date");
    else
      std::printf("check failed (%d in a row): %s\n", failures, answer.error().text().c_str());
    std::fflush(stdout);
    auto delay = next_check_delay(failures, ::randombytes_random());
    if (answer && answer->check.newer && settings.auto_apply)
      if (auto back = auto_apply(node, answer->source, answer->check, settings)) delay = std::min(delay, *back);
    if (!settled) delay = std::min<std::chrono::seconds>(delay, std::chrono::minutes(1));
    std::this_thread::sleep_for(delay);
  }
}

// --status: the boot state, and what the auto_check service last found (none kept: no line;
// a kept file that does not read: a line saying so, the status still printed).
Result<int> status(bool json) {
  auto view = read_boot_view();
  if (!view) return fail(view.error());
  std::optional<Result<KeptCheck>> kept;
  if (auto text = read_file(kAvailableReleasePath)) kept = parse_kept_check(*text, kAvailableReleasePath);
  if (json) {
    JsonObject out = status_object(*view);
    if (kept && *kept) out.add("update", check_object((*kept)->check).add("checked_at", (*kept)->checked_at));
    std::fputs((out.str() + "\n").c_str(), stdout);
    return 0;
  }
  std::string out = status_text(*view);
  if (kept) out += *kept ? update_status_line(**kept, running_version(&*view)) : "update: " + kept->error().text() + "\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}

Result<int> run_upgrade(std::span<const std::string> args) {
  auto p = parse_args("maculaos upgrade", kOptions, args);
  if (!p) return fail(p.error());
  int actions = 0;
  for (const char* a : {"check", "apply", "rollback", "status", "watch"}) actions += p->has(a);
  if (actions != 1 || !p->positional.empty())
    return usage_error("expected one of --check, --apply, --rollback, --status, --watch (see maculaos upgrade --help)");
  if (p->has("json") && !p->has("check") && !p->has("status"))
    return usage_error("--json: only with --check or --status (see maculaos upgrade --help)");
  if (p->has("status")) return status(p->has("json"));
  if (p->has("watch")) return watch(*p);
  return run_action(*p);
}

}  // namespace

Applet upgrade_applet() {
  // --check and --status read what any user may (with --from, or a config readable by them)
  static constexpr std::string_view kRootWords[] = {"--apply", "--rollback", "--watch"};
  return {.name = "upgrade", .summary = "A/B upgrade from a signed release, rollback, status", .usage = kUsage,
          .run = run_upgrade, .options = kOptions, .root_words = kRootWords};
}

}  // namespace macula
