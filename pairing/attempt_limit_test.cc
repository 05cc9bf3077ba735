#include "pairing/attempt_limit.h"

#include <catch2/catch.hpp>

namespace macula {

TEST_CASE("five wrong codes in a minute hold attempts until the first of them is a minute old") {
  using namespace std::chrono_literals;
  AttemptLimit limit(5, 60s);
  const auto start = AttemptLimit::Clock::time_point{} + 1000s;
  for (int i = 0; i < 5; ++i) {
    CHECK(limit.wait_before_attempt(start + i * 1s) == 0s);
    limit.record_failure(start + i * 1s);
  }
  CHECK(limit.wait_before_attempt(start + 5s) == 55s);
  CHECK(limit.wait_before_attempt(start + 59500ms) == 1s);
  CHECK(limit.wait_before_attempt(start + 60s) == 0s);  // the first left the window
  limit.record_failure(start + 60s);
  CHECK(limit.wait_before_attempt(start + 60s) == 1s);  // five again: the second leaves at 61 s
  CHECK(limit.wait_before_attempt(start + 200s) == 0s);
}

}  // namespace macula
