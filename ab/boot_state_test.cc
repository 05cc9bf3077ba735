#include "ab/boot_state.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <map>

namespace macula {
namespace {

std::string encoded(const BootState& s) {
  auto block = encode_state(s);
  REQUIRE(block);
  return *block;
}

TEST_CASE("a state round-trips through its env block") {
  BootState s = start_trial(installed_state("1.0"), Slot::b, "1.1");
  s.last_failure = "health check 10-k3s failed";
  auto back = decode_state(encoded(s));
  REQUIRE(back);
  CHECK(*back == s);
}

TEST_CASE("a torn copy is refused and the other copy is used") {
  const BootState old_state = installed_state("1.0");
  const BootState new_state = start_trial(old_state, Slot::b, "1.1");
  const std::string old_block = encoded(old_state);
  const std::string new_block = encoded(new_state);
  // The new state was being written over the older copy when the power went: every prefix
  // of the new block over the rest of the old one.
  for (size_t cut = 1; cut < kGrubEnvSize; ++cut) {
    const std::string torn = new_block.substr(0, cut) + old_block.substr(cut);
    auto picked = pick_state(torn, old_block);
    REQUIRE(picked);
    // Whatever the cut, the node sees the old state or the whole new one, never a mix.
    CHECK((picked->state == old_state || picked->state == new_state));
  }
}

TEST_CASE("the valid copy with the higher sequence number wins") {
  const BootState s1 = installed_state("1.0");
  const BootState s2 = start_trial(s1, Slot::b, "1.1");
  CHECK(pick_state(encoded(s1), encoded(s2))->state == s2);
  CHECK(pick_state(encoded(s2), encoded(s1))->state == s2);
  CHECK(pick_state(encoded(s2), encoded(s1))->copy == 0);
  CHECK(pick_state(std::string(kGrubEnvSize, '#'), encoded(s1))->copy == 1);
  auto none = pick_state("", std::string(kGrubEnvSize, 0));
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error().message, Catch::StartsWith("no valid boot state"));
}

TEST_CASE("a trial gets three boots, then the primary boots again") {
  const BootState s = start_trial(installed_state("1.0"), Slot::b, "1.1");
  TryCounter c{s.seq, kTrialTries};
  for (int boot = 0; boot < kTrialTries; ++boot) {
    const BootDecision d = decide_boot(s, c);
    CHECK(d.slot == Slot::b);
    CHECK(d.trial);
    c = d.counter;
  }
  CHECK(c.tries_left == 0);
  const BootDecision fallback = decide_boot(s, c);
  CHECK(fallback.slot == Slot::a);
  CHECK_FALSE(fallback.trial);
}

TEST_CASE("a counter that is torn, missing or for another trial means no tries") {
  const BootState s = start_trial(installed_state("1.0"), Slot::b, "1.1");
  CHECK(decide_boot(s, decode_counter("garbage")).slot == Slot::a);
  CHECK(decide_boot(s, TryCounter{s.seq - 1, 3}).slot == Slot::a);
  auto block = encode_counter({s.seq, 3});
  REQUIRE(block);
  CHECK(decide_boot(s, decode_counter(*block)).slot == Slot::b);
  std::string torn = *block;
  torn[30] = '#';
  CHECK(decide_boot(s, decode_counter(torn)).slot == Slot::a);
}

TEST_CASE("mark-good makes the trial slot primary: mark-bad falls back") {
  const BootState trial = start_trial(installed_state("1.0"), Slot::b, "1.1");
  auto good = mark_good(trial, Slot::b);
  REQUIRE(good);
  CHECK(good->primary == Slot::b);
  CHECK_FALSE(good->trial);
  CHECK(good->b.health == SlotHealth::good);
  CHECK(good->seq == trial.seq + 1);

  auto bad = mark_bad(trial, Slot::b, "kernel panic");
  REQUIRE(bad);
  CHECK(bad->primary == Slot::a);
  CHECK_FALSE(bad->trial);
  CHECK(bad->b.health == SlotHealth::bad);
  CHECK(bad->last_failure == "kernel panic");
}

TEST_CASE("transitions refuse to leave no good slot") {
  const BootState fresh = installed_state("1.0");
  CHECK_FALSE(mark_bad(fresh, Slot::a, "x"));
  CHECK_FALSE(mark_good(fresh, Slot::b));
  auto rollback = make_primary(fresh, Slot::b);
  REQUIRE_FALSE(rollback);
  CHECK(rollback.error().message == "slot b is empty, not good: it cannot be primary");
  auto both = mark_good(start_trial(fresh, Slot::b, "1.1"), Slot::b);
  REQUIRE(both);
  auto back = make_primary(*both, Slot::a);
  REQUIRE(back);
  CHECK(back->primary == Slot::a);
}

}  // namespace
}  // namespace macula

namespace macula {

TEST_CASE("clearing the standby slot empties it and ends its trial: the primary is refused") {
  const BootState trial = start_trial(installed_state("0.1.0"), Slot::b, "0.2.0");
  auto cleared = clear_slot(trial, Slot::b);
  REQUIRE(cleared);
  CHECK(cleared->b == SlotInfo{});
  CHECK_FALSE(cleared->trial);
  CHECK(cleared->seq == trial.seq + 1);
  auto refused = clear_slot(trial, Slot::a);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "slot a is the primary: it cannot be overwritten");
}

}  // namespace macula

namespace macula {
namespace {

// GRUB's grub_envblk_iterate (grub-core/lib/envblk.c, 2.06), written out again as GRUB has it,
// and what grub-disk.cfg's macula_read_copy makes of a copy: load_env of four names (the last
// assignment of each wins), valid when MACULA_SEQ is set and equals MACULA_COMMIT.
struct GrubView {
  bool valid = false;
  std::string seq, primary, trial;
  bool operator==(const GrubView&) const = default;
};

GrubView grub_reads(const std::string& block) {
  std::map<std::string, std::string> vars;
  const char* p = block.data() + std::strlen("# GRUB Environment Block\n");
  const char* pend = block.data() + block.size();
  auto find_next_line = [&](const char* q) {
    while (q < pend && *q++ != '\n') {
    }
    return q;
  };
  while (p < pend) {
    if (*p == '#') {
      p = find_next_line(p);
      continue;
    }
    const char* q = p;
    while (q < pend && *q != '=') q++;
    if (q == pend) break;
    const std::string name(p, q);
    const char* value_start = q + 1;
    for (q = value_start; q < pend && *q != '\n'; q++)
      if (*q == '\\') q++;
    if (q >= pend) break;
    std::string value;
    for (const char* v = value_start; v < q; v++) {
      if (*v == '\\') v++;
      value += *v;
    }
    vars[name] = value;
    p = find_next_line(q);
  }
  GrubView view;
  view.valid = !vars["MACULA_SEQ"].empty() && vars["MACULA_SEQ"] == vars["MACULA_COMMIT"];
  if (view.valid) view = {true, vars["MACULA_SEQ"], vars["MACULA_PRIMARY"], vars["MACULA_TRIAL"]};
  return view;
}

GrubView linux_reads(const std::string& block) {
  auto s = decode_state(block);
  if (!s) return {};
  return {true, std::to_string(s->seq), std::string(to_string(s->primary)),
          s->trial ? std::string(to_string(*s->trial)) : "none"};
}

TEST_CASE("a block torn at any byte reads the same in Linux and in GRUB, and long reasons are cut") {
  const BootState old_state = start_trial(installed_state("0.1.0"), Slot::b, "0.2.0");
  // The new copy: slot B fails with a long, multi-line reason (a health check's stderr).
  auto new_state = mark_bad(old_state, Slot::b, "health check 50-x: " + std::string(500, 'z') + "\nsecond line");
  REQUIRE(new_state);
  CHECK(new_state->last_failure.size() <= kMaxFailureBytes);
  CHECK(new_state->last_failure.find('\n') == std::string::npos);
  auto new_block = encode_state(*new_state);
  REQUIRE(new_block);
  CHECK(new_block->find_last_not_of('#') < kGrubEnvTextMax);
  const GrubView whole_new{true, std::to_string(new_state->seq), "a", "none"};

  // What it overwrites: a copy written the same way, or one an older MaculaOS wrote with its
  // text running past the first sector.
  std::string older = "# GRUB Environment Block\nMACULA_SEQ=2\nMACULA_PRIMARY=a\nMACULA_TRIAL=b\n"
                      "MACULA_A_HEALTH=good\nMACULA_A_VERSION=0.1.0\nMACULA_B_HEALTH=fresh\n"
                      "MACULA_B_VERSION=0.2.0\nMACULA_LAST_FAILURE=" + std::string(600, 'y') +
                      "\nMACULA_COMMIT=2\n";
  older.resize(kGrubEnvSize, '#');
  auto old_block = encode_state(old_state);
  REQUIRE(old_block);
  for (const std::string& before : {*old_block, older}) {
    REQUIRE(linux_reads(before) == GrubView{true, "2", "a", "b"});
    for (size_t cut = 0; cut <= kGrubEnvSize; ++cut) {
      const std::string torn = new_block->substr(0, cut) + before.substr(cut);
      CAPTURE(cut, before == older);
      const GrubView linux = linux_reads(torn);
      CHECK(grub_reads(torn) == linux);
      // A copy torn anywhere is the old state, the new one, or no state (the other copy is used).
      CHECK((linux == whole_new || linux == GrubView{true, "2", "a", "b"} || !linux.valid));
      // Between blocks of one sector of text, a cut past the first sector leaves the new state.
      if (before != older && cut >= kGrubEnvTextMax) CHECK(linux == whole_new);
    }
  }
}

// Every state a disk can hold: primary, trial and the health of each slot. A trial is of the
// slot that is not primary, and holds a fresh version (start_trial makes it so).
std::vector<BootState> every_state() {
  std::vector<BootState> states;
  const SlotHealth healths[] = {SlotHealth::empty, SlotHealth::fresh, SlotHealth::good, SlotHealth::bad};
  for (Slot primary : {Slot::a, Slot::b})
    for (std::optional<Slot> trial : {std::optional<Slot>{}, std::optional<Slot>{Slot::a}, std::optional<Slot>{Slot::b}})
      for (SlotHealth a : healths)
        for (SlotHealth b : healths) {
          BootState s;
          s.seq = 7;
          s.primary = primary;
          s.trial = trial;
          s.a = {a, a == SlotHealth::empty ? "" : "1.0"};
          s.b = {b, b == SlotHealth::empty ? "" : "1.1"};
          s.last_failure = "earlier";
          if (trial && (*trial == primary || s.info(*trial).health != SlotHealth::fresh)) continue;
          states.push_back(s);
        }
  return states;
}

std::vector<BootChange> every_change() {
  std::vector<BootChange> changes;
  for (Slot slot : {Slot::a, Slot::b}) {
    changes.push_back({BootChange::Kind::start_trial, slot, "2.0"});
    changes.push_back({BootChange::Kind::mark_good, slot});
    changes.push_back({BootChange::Kind::mark_bad, slot, "it failed"});
    changes.push_back({BootChange::Kind::make_primary, slot});
    changes.push_back({BootChange::Kind::clear, slot});
  }
  return changes;
}

// The rules, written out once more: which changes are refused.
bool refused(const BootState& s, const BootChange& c) {
  switch (c.kind) {
    case BootChange::Kind::start_trial: return c.slot == s.primary;
    case BootChange::Kind::mark_good: return s.info(c.slot).health == SlotHealth::empty;
    case BootChange::Kind::mark_bad: return c.slot == s.primary && s.info(other(c.slot)).health != SlotHealth::good;
    case BootChange::Kind::make_primary: return s.info(c.slot).health != SlotHealth::good;
    case BootChange::Kind::clear: return c.slot == s.primary;
  }
  return true;
}

TEST_CASE("next_state: every change from every state is refused, or lands as the rules say") {
  int accepted = 0, refusals = 0;
  for (const BootState& s : every_state()) {
    for (const BootChange& c : every_change()) {
      CAPTURE(encode_state(s).value_or("?"), static_cast<int>(c.kind), to_string(c.slot));
      const Result<BootState> n = next_state(s, c);
      REQUIRE(n.has_value() == !refused(s, c));
      if (!n) {
        CHECK_FALSE(n.error().message.empty());
        ++refusals;
        continue;
      }
      ++accepted;
      CHECK(n->seq == s.seq + 1);
      // The slot GRUB falls back to is never the one on trial, a trial holds a fresh version,
      // and a good primary stays good.
      CHECK(n->trial != n->primary);
      if (n->trial) CHECK(n->info(*n->trial).health == SlotHealth::fresh);
      if (s.info(s.primary).health == SlotHealth::good) CHECK(n->info(n->primary).health == SlotHealth::good);
      const Slot o = other(c.slot);
      switch (c.kind) {
        case BootChange::Kind::start_trial:
          CHECK(n->trial == c.slot);
          CHECK(n->info(c.slot) == SlotInfo{SlotHealth::fresh, "2.0"});
          CHECK(n->primary == s.primary);
          break;
        case BootChange::Kind::mark_good:
          CHECK(n->info(c.slot).health == SlotHealth::good);
          CHECK(n->primary == (s.trial == c.slot ? c.slot : s.primary));
          if (s.trial == c.slot) CHECK_FALSE(n->trial);
          break;
        case BootChange::Kind::mark_bad:
          CHECK(n->info(c.slot).health == SlotHealth::bad);
          CHECK(n->primary == (s.primary == c.slot ? o : s.primary));
          CHECK(n->trial != c.slot);
          CHECK(n->last_failure == "it failed");
          break;
        case BootChange::Kind::make_primary:
          CHECK(n->primary == c.slot);
          CHECK_FALSE(n->trial);
          break;
        case BootChange::Kind::clear:
          CHECK(n->info(c.slot) == SlotInfo{});
          CHECK(n->trial != c.slot);
          CHECK(n->primary == s.primary);
          break;
      }
      CHECK(n->info(o) == s.info(o));  // the other slot is never touched
    }
  }
  CHECK(accepted > 0);
  CHECK(refusals > 0);
}

}  // namespace
}  // namespace macula
