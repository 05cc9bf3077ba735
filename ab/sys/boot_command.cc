#include "ab/sys/boot_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "ab/sys/boot_context.h"
#include "common/boot_report_facts.h"
#include "common/args.h"
#include "common/files.h"
#include "common/process.h"
#include "names/names.h"
#include "common/sys/watchdog.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos boot COMMAND

The A/B boot state on the ESP of the disk MaculaOS runs from (see docs/upgrades.md).
  status [--json]           both slots, the primary, the trial and its tries, the booted slot
  mark-good [a|b]           the slot (default: the booted one) is good; a trial slot becomes primary
  mark-bad a|b [--why TEXT] the slot is bad; if it was primary, the other (good) one takes over
  set-next a|b              boot that slot next, on trial (3 tries), then fall back
  report [mode|slot|media]  what init decided for this boot (its boot.json), whole or one
                            value: the image's scripts ask here, not /proc/cmdline
  assess                    end of boot (the OpenRC local service): run the health checks
                            (the root image came from the booted slot; every executable in
                            /etc/maculaos/health.d, 60 s each); a slot on trial that passes is
                            marked good, one that fails is marked bad and the node reboots
Every change is written to the copy of the state that is not current, so a power cut keeps
either the old or the new state.
)";

constexpr OptionSpec kOptions[] = {{"json", 0, false}, {"why", 0, true}};
// Each check, with whatever it starts in its process group: assess holds the boot-state lock.
constexpr std::chrono::seconds kHealthCheckTimeout{60};

// mark-good, mark-bad and set-next as the change they ask for.
Result<BootChange> requested_change(const BootContext& ctx, const std::string& command, std::optional<Slot> slot,
                                    const std::string& why) {
  if (command == "mark-good") {
    if (!slot) slot = ctx.booted();
    if (!slot) return usage_error("mark-good: which slot? (not booted from a slot: give a or b)");
    return BootChange{BootChange::Kind::mark_good, *slot};
  }
  if (command == "mark-bad") {
    if (!slot) return usage_error("mark-bad: expected a slot, a or b");
    return BootChange{BootChange::Kind::mark_bad, *slot, why.empty() ? "marked bad by hand" : why};
  }
  if (command == "set-next") {
    if (!slot) return usage_error("set-next: expected a slot, a or b");
    const SlotInfo& info = ctx.state().info(*slot);
    if (info.health == SlotHealth::empty) return fail("set-next: slot " + std::string(to_string(*slot)) + " is empty");
    return BootChange{BootChange::Kind::start_trial, *slot, info.version};
  }
  return usage_error("unknown command '" + command + "' (expected status, mark-good, mark-bad, set-next or assess)");
}

// Built in: the root image really came from the slot GRUB chose (init mounted that slot).
Result<void> check_root_from_booted_slot(const InstalledDisk& disk, Slot booted) {
  struct stat slot_fs {}, part {};
  const std::string& dev = disk.slot(booted);
  if (::stat(kSlotMount, &slot_fs) != 0) return fail_errno(std::string(kSlotMount) + " (the booted slot)");
  if (::stat(dev.c_str(), &part) != 0) return fail_errno(dev);
  if (slot_fs.st_dev != part.st_rdev)
    return fail("the root image is not from slot " + std::string(to_string(booted)) + " (" + dev + ")");
  return {};
}

// Every executable in health.d, in name order, each with a time limit; the first failure.
Result<void> run_health_checks() {
  std::vector<std::string> checks;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(kHealthDir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && ::access(it->path().c_str(), X_OK) == 0) checks.push_back(it->path());
  std::sort(checks.begin(), checks.end());
  for (const std::string& check : checks) {
    std::printf("boot assess: health check %s\n", check.c_str());
    if (auto r = run_command({check}, "", kHealthCheckTimeout); !r)
      return fail("health check " + std::filesystem::path(check).filename().string(), r.error());
  }
  return {};
}

void write_motd(const BootView& view) {
  const auto notice = fallback_notice(view);
  if (!notice) return;
  const std::string text = "\n*** MaculaOS fell back to slot " + std::string(to_string(*view.booted)) + ": " +
                           *notice + ".\n*** See: maculaos upgrade --status\n\n";
  if (auto r = write_file_atomic(kMotdPath, text, 0644); !r) std::fprintf(stderr, "boot assess: %s\n", r.error().text().c_str());
}

// The assessment's verdict as a change of the boot state; nothing for a boot not on trial.
std::optional<BootChange> assessed_change(const BootView& view, const Result<void>& checks) {
  const Slot booted = *view.booted;
  switch (assess(view, checks.has_value())) {
    case Verdict::mark_good: return BootChange{BootChange::Kind::mark_good, booted};
    case Verdict::mark_bad_reboot: return BootChange{BootChange::Kind::mark_bad, booted, checks.error().message};
    case Verdict::mark_trial_bad:
      return BootChange{BootChange::Kind::mark_bad, *view.state.trial,
                        "did not boot good in " + std::to_string(kTrialTries) + " tries"};
    case Verdict::report: return std::nullopt;
  }
  return std::nullopt;
}

Result<int> assess_boot(BootContext& ctx) {
  BootView view = ctx.view();
  if (!view.booted) return std::puts("boot assess: not booted from a slot: nothing to assess"), 0;
  const Slot booted = *view.booted;
  Result<void> checks = check_root_from_booted_slot(ctx.disk(), booted);
  if (checks) checks = run_health_checks();
  if (!checks) std::fprintf(stderr, "boot assess: %s\n", checks.error().message.c_str());
  const auto change = assessed_change(view, checks);
  if (!change) {
    write_motd(view);
    return checks ? 0 : 1;
  }
  auto next = ctx.commit(*change);
  if (!next) return fail("assess", next.error());
  if (change->kind == BootChange::Kind::mark_good) {
    std::printf("boot assess: slot %s (version %s) passed its checks: marked good\n",
                std::string(to_string(booted)).c_str(), next->info(booted).version.c_str());
    // init armed the watchdog for this trial boot: it has reached its end.
    if (auto stopped = disarm_watchdog(); !stopped)
      std::fprintf(stderr, "boot assess: %s\n", stopped.error().text().c_str());
    else if (*stopped)
      std::puts("boot assess: the trial's watchdog is stopped");
  }
  view.state = *next;
  write_motd(view);
  if (checks) return 0;
  std::fprintf(stderr, "boot assess: slot %s is marked bad; rebooting into slot %s\n",
               std::string(to_string(booted)).c_str(), std::string(to_string(next->primary)).c_str());
  ::sync();
  if (auto r = run_command({"reboot"}); !r) return fail("assess: reboot", r.error());
  return 1;
}

// `report`: init's boot.json, or one of the decisions in it (a line, empty when the boot did
// not make it: no slot on a live boot).
Result<int> print_boot_report(std::optional<std::string> field) {
  if (!field) {
    auto text = read_file(kBootReportPath);
    if (!text) return fail(text.error());
    return std::fputs(text->c_str(), stdout), 0;
  }
  const BootReportFacts facts = read_boot_report();
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"mode", &facts.mode}, {"slot", &facts.slot}, {"media", &facts.media}};
  for (const auto& [name, value] : fields)
    if (name == *field) return std::puts(value->c_str()), 0;
  return usage_error("report " + *field + ": expected mode, slot or media");
}

Result<int> run_boot(std::span<const std::string> args) {
  auto p = parse_args("maculaos boot", kOptions, args);
  if (!p) return fail(p.error());
  if (p->positional.empty() || p->positional.size() > 2)
    return usage_error("expected a command: status, mark-good, mark-bad, set-next, assess or report (see maculaos boot --help)");
  if (p->positional[0] == "report")
    return print_boot_report(p->positional.size() == 2 ? std::optional(p->positional[1]) : std::nullopt);
  std::optional<Slot> slot;
  if (p->positional.size() == 2) {
    slot = parse_slot(p->positional[1]);
    if (!slot) return usage_error("slot '" + p->positional[1] + "': expected a or b");
  }
  const std::string& command = p->positional[0];
  if (command == "status") {
    auto view = read_boot_view();
    if (!view) return fail(view.error());
    return std::fputs((p->has("json") ? status_json : status_text)(*view).c_str(), stdout), 0;
  }
  auto ctx = BootContext::open();
  if (!ctx) return fail(ctx.error());
  if (command == "assess") return assess_boot(*ctx);
  auto change = requested_change(*ctx, command, slot, p->value_or("why", ""));
  if (!change) return fail(change.error());
  if (auto r = ctx->commit(*change); !r) return fail(r.error());
  return std::fputs(status_text(ctx->view()).c_str(), stdout), 0;
}

}  // namespace

Applet boot_applet() {
  static constexpr std::string_view kCommands[] = {"status", "mark-good", "mark-bad", "set-next", "report", "assess"};
  static constexpr std::string_view kRootWords[] = {"mark-good", "mark-bad", "set-next", "assess"};
  return {.name = "boot", .summary = "read and change the A/B boot state", .usage = kUsage, .run = run_boot,
          .commands = kCommands, .options = kOptions, .root_words = kRootWords};
}

}  // namespace macula
