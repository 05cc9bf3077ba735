// What `maculaos boot status` and `maculaos upgrade --status` print, what the motd says after
// a fallback, and what the end-of-boot assessment does: pure functions of the boot state.
#pragma once

#include <optional>
#include <string>

#include "ab/boot_state.h"
#include "common/json.h"

namespace macula {

struct BootView {
  BootState state;
  TryCounter counter;
  std::optional<Slot> booted;  // macula.slot= of this boot

  int tries_left() const;  // of the current trial, 0 when none
};

// "slot b (version 0.2.0) did not boot good in 3 tries" when this boot fell back from a failed
// trial (or follows a slot marked bad at boot); nothing otherwise.
std::optional<std::string> fallback_notice(const BootView& view);

// The version this boot runs: the booted slot's (as its slot.json named it), else this binary's
// (a live boot, or a slot that named none).
std::string running_version(const BootView* view);

std::string status_text(const BootView& view);
// --status --json (docs/json-output.md); status_object is that object, for outputs that add to it.
JsonObject status_object(const BootView& view);
std::string status_json(const BootView& view);

// The end-of-boot assessment (maculaos boot assess, run by the OpenRC local service).
enum class Verdict {
  mark_good,        // the trial slot booted and passed its checks
  mark_bad_reboot,  // the trial slot booted and failed a check: mark it bad, reboot
  mark_trial_bad,   // the trial spent its tries and GRUB fell back: record it as bad
  report,           // not on trial: checks are reported, nothing changes
};
Verdict assess(const BootView& view, bool checks_passed);

}  // namespace macula
