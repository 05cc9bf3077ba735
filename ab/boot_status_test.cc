#include "ab/boot_status.h"

#include <catch2/catch.hpp>

namespace macula {

namespace {

// Slot A good and primary, slot B holding 0.2.0 on trial with `tries` left.
BootView trial_of_b(int tries, std::optional<Slot> booted) {
  BootState s = start_trial(installed_state("0.1.0"), Slot::b, "0.2.0");
  return {s, {s.seq, tries}, booted};
}

}  // namespace

TEST_CASE("a trial boot that passes its checks is marked good, one that fails is marked bad") {
  CHECK(assess(trial_of_b(2, Slot::b), true) == Verdict::mark_good);
  CHECK(assess(trial_of_b(2, Slot::b), false) == Verdict::mark_bad_reboot);
  CHECK(assess(trial_of_b(0, Slot::b), true) == Verdict::mark_good);  // the last try
}

TEST_CASE("a boot of the primary after the trial's tries ran out records the trial as failed") {
  const BootView v = trial_of_b(0, Slot::a);
  CHECK(assess(v, true) == Verdict::mark_trial_bad);
  CHECK(fallback_notice(v) == "slot b (version 0.2.0) did not boot good in 3 tries");
  CHECK(status_text(v).find("this boot is a fallback: slot b (version 0.2.0)") != std::string::npos);
}

TEST_CASE("choosing the primary by hand while the trial has tries is not a fallback") {
  const BootView v = trial_of_b(2, Slot::a);
  CHECK(assess(v, false) == Verdict::report);
  CHECK_FALSE(fallback_notice(v));
}

TEST_CASE("after the failed trial is marked bad, status still names the fallback and why") {
  BootState s = *mark_bad(trial_of_b(1, Slot::b).state, Slot::b, "health check 10-k3s failed (exit 1)");
  const BootView v{s, {}, Slot::a};
  CHECK(assess(v, true) == Verdict::report);
  CHECK(fallback_notice(v) == "slot b (version 0.2.0) failed: health check 10-k3s failed (exit 1)");
  const std::string json = status_json(v);
  CHECK(json.find("\"fallback\": true") != std::string::npos);
  CHECK(json.find("\"health\": \"bad\"") != std::string::npos);
}

TEST_CASE("status shows the trial and its tries") {
  const std::string text = status_text(trial_of_b(2, Slot::b));
  CHECK(text == "booted: slot b\n"
                "slot a: good, version 0.1.0 (primary)\n"
                "slot b: on trial, version 0.2.0 (booted)\n"
                "trial: slot b, 2 of 3 tries left\n");
}

TEST_CASE("the running version is the booted slot's, else this binary's") {
  const BootView on_b = trial_of_b(2, Slot::b);
  CHECK(running_version(&on_b) == "0.2.0");
  const BootView on_a = trial_of_b(2, Slot::a);
  CHECK(running_version(&on_a) == "0.1.0");
  const BootView live = trial_of_b(2, std::nullopt);
  CHECK(running_version(&live) == MACULAOS_VERSION);
  CHECK(running_version(nullptr) == MACULAOS_VERSION);
}

}  // namespace macula
