#include "installer/boot_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "common/args.h"
#include "common/files.h"
#include "common/process.h"
#include "installer/boot_status.h"
#include "installer/installed_disk.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos boot COMMAND

The A/B boot state on the ESP of the disk MaculaOS runs from (see README, "The boot state").
  status [--json]           both slots, the primary, the trial and its tries, the booted slot
  mark-good [a|b]           the slot (default: the booted one) is good; a trial slot becomes primary
  mark-bad a|b [--why TEXT] the slot is bad; if it was primary, the other (good) one takes over
  set-next a|b              boot that slot next, on trial (3 tries), then fall back
  assess                    end of boot (the maculaos-health service): run the health checks
                            (the root image came from the booted slot; every executable in
                            /etc/maculaos/health.d, 60 s each); a slot on trial that passes is
                            marked good, one that fails is marked bad and the node reboots
Every change is written to the copy of the state that is not current, so a power cut keeps
either the old or the new state.
)";

constexpr OptionSpec kOptions[] = {{"json", 0, false}, {"why", 0, true}};
constexpr const char* kHealthDir = "/etc/maculaos/health.d";
constexpr const char* kSlotMount = "/run/macula/slot";  // where init mounted the booted slot
// Shown at login by /etc/update-motd.d/20-maculaos (pam_motd rewrites /run/motd.dynamic).
constexpr const char* kMotd = "/run/macula/motd";

Result<void> change(const BootContext& ctx, const std::string& command, std::optional<Slot> slot,
                    const std::string& why) {
  const BootState& state = ctx.current.state;
  Result<BootState> next = fail("boot: unknown command '" + command +
                                "' (expected status, mark-good, mark-bad, set-next or assess)");
  if (command == "mark-good") {
    if (!slot) slot = booted_slot();
    if (!slot) return fail("boot mark-good: which slot? (not booted from a slot: give a or b)");
    next = mark_good(state, *slot);
  } else if (command == "mark-bad") {
    if (!slot) return fail("boot mark-bad: expected a slot, a or b");
    next = mark_bad(state, *slot, why.empty() ? "marked bad by hand" : why);
  } else if (command == "set-next") {
    if (!slot) return fail("boot set-next: expected a slot, a or b");
    if (state.info(*slot).health == SlotHealth::empty)
      return fail("boot set-next: slot " + std::string(to_string(*slot)) + " is empty");
    return ctx.store.begin_trial(ctx.current, *slot, state.info(*slot).version);
  }
  if (!next) return std::unexpected(next.error());
  return ctx.store.save(ctx.current, *next);
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
  for (const auto& entry : std::filesystem::directory_iterator(kHealthDir, ec))
    if (entry.is_regular_file() && ::access(entry.path().c_str(), X_OK) == 0) checks.push_back(entry.path());
  std::sort(checks.begin(), checks.end());
  for (const std::string& check : checks) {
    std::printf("boot assess: health check %s\n", check.c_str());
    if (auto r = run_command({"timeout", "60", check}); !r)
      return fail("health check " + std::filesystem::path(check).filename().string() + ": " + r.error().message);
  }
  return {};
}

void write_motd(const BootView& view) {
  const auto notice = fallback_notice(view);
  if (!notice) return;
  const std::string text = "\n*** MaculaOS fell back to slot " + std::string(to_string(*view.booted)) + ": " +
                           *notice + ".\n*** See: maculaos upgrade --status\n\n";
  if (auto r = write_file_atomic(kMotd, text, 0644); !r) std::fprintf(stderr, "boot assess: %s\n", r.error().text().c_str());
}

int assess_boot(const BootContext& ctx) {
  BootView view = ctx.view();
  if (!view.booted) return std::puts("boot assess: not booted from a slot: nothing to assess"), 0;
  const Slot booted = *view.booted;
  Result<void> checks = check_root_from_booted_slot(ctx.disk, booted);
  if (checks) checks = run_health_checks();
  if (!checks) std::fprintf(stderr, "boot assess: %s\n", checks.error().message.c_str());
  const std::string version = view.state.info(booted).version;
  Result<BootState> next = view.state;
  switch (assess(view, checks.has_value())) {
    case Verdict::mark_good:
      next = mark_good(view.state, booted);
      std::printf("boot assess: slot %s (version %s) passed its checks: marked good\n",
                  std::string(to_string(booted)).c_str(), version.c_str());
      break;
    case Verdict::mark_bad_reboot:
      next = mark_bad(view.state, booted, checks.error().message);
      break;
    case Verdict::mark_trial_bad: {
      const Slot trial = *view.state.trial;
      next = mark_bad(view.state, trial, "did not boot good in " + std::to_string(kTrialTries) + " tries");
      break;
    }
    case Verdict::report:
      write_motd(view);
      return checks ? 0 : 1;
  }
  if (!next) return std::fprintf(stderr, "boot assess: %s\n", next.error().text().c_str()), 1;
  if (auto r = ctx.store.save(ctx.current, *next); !r)
    return std::fprintf(stderr, "boot assess: %s\n", r.error().text().c_str()), 1;
  view.state = *next;
  write_motd(view);
  if (checks) return 0;
  std::fprintf(stderr, "boot assess: slot %s is marked bad; rebooting into slot %s\n",
               std::string(to_string(booted)).c_str(), std::string(to_string(next->primary)).c_str());
  ::sync();
  (void)run_command({"reboot"});
  return 1;
}

int run_boot(std::span<const std::string> args) {
  auto p = parse_args("boot", kOptions, args);
  if (p && (p->positional.empty() || p->positional.size() > 2))
    p = fail("boot: expected a command: status, mark-good, mark-bad, set-next or assess (see maculaos boot --help)");
  std::optional<Slot> slot;
  if (p && p->positional.size() == 2) {
    slot = parse_slot(p->positional[1]);
    if (!slot) p = fail("boot: slot '" + p->positional[1] + "': expected a or b");
  }
  if (!p) return std::fprintf(stderr, "%s\n", p.error().text().c_str()), 2;
  const std::string& command = p->positional[0];
  if (command == "status") {
    auto view = read_boot_view();
    if (!view) return std::fprintf(stderr, "boot: %s\n", view.error().text().c_str()), 1;
    return std::fputs((p->has("json") ? status_json : status_text)(*view).c_str(), stdout), 0;
  }
  auto ctx = BootContext::open();
  if (!ctx) return std::fprintf(stderr, "boot: %s\n", ctx.error().text().c_str()), 1;
  if (command == "assess") return assess_boot(*ctx);
  if (auto r = change(*ctx, command, slot, p->value_or("why", "")); !r)
    return std::fprintf(stderr, "%s\n", r.error().text().c_str()), 1;
  auto after = read_boot_view();
  return after ? (std::fputs(status_text(*after).c_str(), stdout), 0) : 1;
}

}  // namespace

Applet boot_applet() {
  return {"boot", "read and change the A/B boot state", kUsage, run_boot};
}

}  // namespace macula
