#include "ab/boot_status.h"

#include "common/json.h"

namespace macula {

namespace {

std::string slot_name(Slot s) { return "slot " + std::string(to_string(s)); }

std::string with_version(const BootState& s, Slot slot) {
  const std::string& v = s.info(slot).version;
  return slot_name(slot) + (v.empty() ? "" : " (version " + v + ")");
}

std::string slot_line(const BootView& v, Slot slot) {
  const BootState& s = v.state;
  const SlotInfo& info = s.info(slot);
  std::string line = slot_name(slot) + ": " + std::string(to_string(info.health));
  if (s.trial == slot) line = slot_name(slot) + ": on trial";
  if (!info.version.empty()) line += ", version " + info.version;
  if (s.primary == slot) line += " (primary)";
  if (v.booted == slot) line += " (booted)";
  return line;
}

}  // namespace

int BootView::tries_left() const {
  return state.trial && counter.trial_seq == state.seq ? counter.tries_left : 0;
}

std::optional<std::string> fallback_notice(const BootView& v) {
  const BootState& s = v.state;
  if (!v.booted) return std::nullopt;
  if (s.trial && *s.trial != *v.booted && v.tries_left() == 0)
    return with_version(s, *s.trial) + " did not boot good in " + std::to_string(kTrialTries) + " tries";
  const Slot failed = other(*v.booted);
  if (s.primary == *v.booted && s.info(failed).health == SlotHealth::bad && !s.last_failure.empty())
    return with_version(s, failed) + " failed: " + s.last_failure;
  return std::nullopt;
}

std::string running_version(const BootView* view) {
  if (!view || !view->booted || view->state.info(*view->booted).version.empty()) return MACULAOS_VERSION;
  return view->state.info(*view->booted).version;
}

std::string status_text(const BootView& v) {
  const BootState& s = v.state;
  std::string out = "booted: " + (v.booted ? slot_name(*v.booted) : "not from a slot") + "\n";
  out += slot_line(v, Slot::a) + "\n" + slot_line(v, Slot::b) + "\n";
  if (s.trial)
    out += "trial: " + slot_name(*s.trial) + ", " + std::to_string(v.tries_left()) + " of " +
           std::to_string(kTrialTries) + " tries left\n";
  if (auto notice = fallback_notice(v)) out += "this boot is a fallback: " + *notice + "\n";
  if (!s.last_failure.empty()) out += "last failure: " + s.last_failure + "\n";
  return out;
}

JsonObject status_object(const BootView& v) {
  const BootState& s = v.state;
  auto slot_json = [&](Slot slot) {
    JsonObject o;
    const bool on_trial = s.trial == slot;
    o.add("health", on_trial ? "trial" : to_string(s.info(slot).health))
        .add("version", s.info(slot).version)
        .add("tries_left", std::int64_t{on_trial ? v.tries_left() : 0});
    return o;
  };
  const auto notice = fallback_notice(v);
  JsonObject o;
  o.add("booted", v.booted ? to_string(*v.booted) : "")
      .add("primary", to_string(s.primary))
      .add("trial", s.trial ? to_string(*s.trial) : "")
      .add("tries_left", std::int64_t{v.tries_left()})
      .add("fallback", notice.has_value())
      .add("fallback_reason", notice.value_or(""))
      .add("last_failure", s.last_failure)
      .add("a", slot_json(Slot::a))
      .add("b", slot_json(Slot::b))
      .add("sequence", static_cast<std::int64_t>(s.seq));
  return o;
}

std::string status_json(const BootView& v) { return status_object(v).str() + "\n"; }

Verdict assess(const BootView& v, bool checks_passed) {
  const BootState& s = v.state;
  if (v.booted && s.trial == *v.booted) return checks_passed ? Verdict::mark_good : Verdict::mark_bad_reboot;
  if (v.booted && s.trial && v.tries_left() == 0) return Verdict::mark_trial_bad;
  return Verdict::report;
}

}  // namespace macula
