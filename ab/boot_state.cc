#include "ab/boot_state.h"

#include <charconv>

namespace macula {

namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<SlotHealth> parse_health(std::string_view s) {
  for (SlotHealth h : {SlotHealth::empty, SlotHealth::fresh, SlotHealth::good, SlotHealth::bad})
    if (to_string(h) == s) return h;
  return std::nullopt;
}

std::string get(const GrubEnv& env, std::string_view key) { return lookup(env, key).value_or(""); }

// Why a slot failed, as the state keeps it: one line, at most kMaxFailureBytes (a health
// check's stderr can be long, and the state block's text must fit in one sector).
std::string failure_line(std::string why) {
  for (char& c : why)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (why.size() <= kMaxFailureBytes) return why;
  size_t cut = kMaxFailureBytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(why[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return why.substr(0, cut) + "...";
}

BootState next(const BootState& s) {
  BootState n = s;
  ++n.seq;
  return n;
}

}  // namespace

std::string_view to_string(Slot s) { return s == Slot::a ? "a" : "b"; }

std::string_view to_string(SlotHealth h) {
  switch (h) {
    case SlotHealth::empty: return "empty";
    case SlotHealth::fresh: return "fresh";
    case SlotHealth::good: return "good";
    case SlotHealth::bad: return "bad";
  }
  return "?";
}

std::optional<Slot> parse_slot(std::string_view s) {
  if (s == "a" || s == "A") return Slot::a;
  if (s == "b" || s == "B") return Slot::b;
  return std::nullopt;
}

Result<std::string> encode_state(const BootState& s) {
  // MACULA_SEQ opens the block and MACULA_COMMIT closes it: a write torn anywhere between
  // them leaves the two disagreeing, and the copy is ignored.
  const std::string seq = std::to_string(s.seq);
  GrubEnv env{{"MACULA_SEQ", seq},
              {"MACULA_PRIMARY", std::string(to_string(s.primary))},
              {"MACULA_TRIAL", s.trial ? std::string(to_string(*s.trial)) : "none"},
              {"MACULA_A_HEALTH", std::string(to_string(s.a.health))},
              {"MACULA_A_VERSION", s.a.version},
              {"MACULA_B_HEALTH", std::string(to_string(s.b.health))},
              {"MACULA_B_VERSION", s.b.version},
              {"MACULA_LAST_FAILURE", s.last_failure},
              {"MACULA_COMMIT", seq}};
  return format_grub_env(env);
}

Result<BootState> decode_state(std::string_view block) {
  auto env = parse_grub_env(block);
  if (!env) return fail(env.error());
  const auto seq = parse_u64(get(*env, "MACULA_SEQ"));
  if (!seq || get(*env, "MACULA_COMMIT") != get(*env, "MACULA_SEQ"))
    return fail("boot state copy is torn or incomplete (MACULA_SEQ and MACULA_COMMIT differ)");
  BootState s;
  s.seq = *seq;
  const auto primary = parse_slot(get(*env, "MACULA_PRIMARY"));
  const auto a = parse_health(get(*env, "MACULA_A_HEALTH"));
  const auto b = parse_health(get(*env, "MACULA_B_HEALTH"));
  const std::string trial = get(*env, "MACULA_TRIAL");
  if (!primary || !a || !b || (trial != "none" && !parse_slot(trial)))
    return fail("boot state copy " + std::to_string(*seq) + " has an invalid value");
  s.primary = *primary;
  if (trial != "none") s.trial = parse_slot(trial);
  s.a = {*a, get(*env, "MACULA_A_VERSION")};
  s.b = {*b, get(*env, "MACULA_B_VERSION")};
  s.last_failure = get(*env, "MACULA_LAST_FAILURE");
  return s;
}

Result<std::string> encode_counter(const TryCounter& c) {
  return format_grub_env({{"MACULA_TRIES", std::to_string(c.tries_left)},
                          {"MACULA_TRIES_FOR", std::to_string(c.trial_seq)}});
}

TryCounter decode_counter(std::string_view block) {
  auto env = parse_grub_env(block);
  if (!env) return {};
  const auto tries = parse_u64(get(*env, "MACULA_TRIES"));
  const auto seq = parse_u64(get(*env, "MACULA_TRIES_FOR"));
  if (!tries || !seq || *tries > kTrialTries) return {};
  return {*seq, static_cast<int>(*tries)};
}

Result<StoredState> pick_state(std::string_view copy1, std::string_view copy2) {
  auto s1 = decode_state(copy1);
  auto s2 = decode_state(copy2);
  if (s1 && (!s2 || s1->seq >= s2->seq)) return StoredState{*s1, 0};
  if (s2) return StoredState{*s2, 1};
  return fail("no valid boot state: copy 1: " + s1.error().message + "; copy 2: " + s2.error().message);
}

BootDecision decide_boot(const BootState& state, const TryCounter& counter) {
  if (state.trial && counter.trial_seq == state.seq && counter.tries_left > 0)
    return {*state.trial, true, {counter.trial_seq, counter.tries_left - 1}};
  return {state.primary, false, counter};
}

BootState start_trial(const BootState& state, Slot slot, std::string version) {
  BootState n = next(state);
  n.trial = slot;
  n.info(slot) = {SlotHealth::fresh, std::move(version)};
  n.last_failure.clear();
  return n;
}

Result<BootState> mark_good(const BootState& state, Slot booted) {
  if (state.info(booted).health == SlotHealth::empty)
    return fail("slot " + std::string(to_string(booted)) + " is empty: nothing to mark good");
  BootState n = next(state);
  n.info(booted).health = SlotHealth::good;
  if (n.trial == booted) {
    n.trial.reset();
    n.primary = booted;
  }
  return n;
}

Result<BootState> mark_bad(const BootState& state, Slot slot, std::string why) {
  if (state.primary == slot && state.info(other(slot)).health != SlotHealth::good)
    return fail("slot " + std::string(to_string(slot)) + " is the primary and slot " +
                std::string(to_string(other(slot))) + " is not good: refusing to leave no slot to boot");
  BootState n = next(state);
  n.info(slot).health = SlotHealth::bad;
  if (n.trial == slot) n.trial.reset();
  if (n.primary == slot) n.primary = other(slot);
  n.last_failure = failure_line(std::move(why));
  return n;
}

Result<BootState> make_primary(const BootState& state, Slot slot) {
  if (state.info(slot).health != SlotHealth::good)
    return fail("slot " + std::string(to_string(slot)) + " is " +
                std::string(to_string(state.info(slot).health)) + ", not good: it cannot be primary");
  BootState n = next(state);
  n.primary = slot;
  n.trial.reset();
  return n;
}

Result<BootState> clear_slot(const BootState& state, Slot slot) {
  if (state.primary == slot)
    return fail("slot " + std::string(to_string(slot)) + " is the primary: it cannot be overwritten");
  BootState n = next(state);
  n.info(slot) = {};
  if (n.trial == slot) n.trial.reset();
  return n;
}

Result<BootState> next_state(const BootState& state, const BootChange& change) {
  switch (change.kind) {
    case BootChange::Kind::start_trial:
      // The primary is what GRUB falls back to: it is never on trial itself.
      if (change.slot == state.primary)
        return fail("slot " + std::string(to_string(change.slot)) + " is the primary: it cannot go on trial");
      return start_trial(state, change.slot, change.detail);
    case BootChange::Kind::mark_good: return mark_good(state, change.slot);
    case BootChange::Kind::mark_bad: return mark_bad(state, change.slot, change.detail);
    case BootChange::Kind::make_primary: return make_primary(state, change.slot);
    case BootChange::Kind::clear: return clear_slot(state, change.slot);
  }
  return fail("unknown boot-state change");
}

BootState installed_state(std::string version) {
  BootState s;
  s.seq = 1;
  s.primary = Slot::a;
  s.a = {SlotHealth::good, std::move(version)};
  return s;
}

}  // namespace macula
