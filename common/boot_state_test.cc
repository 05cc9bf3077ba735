#include "common/boot_state.h"

#include <catch2/catch.hpp>

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

TEST_CASE("mark-good makes the trial slot primary; mark-bad falls back") {
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

TEST_CASE("clearing the standby slot empties it and ends its trial; the primary is refused") {
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
