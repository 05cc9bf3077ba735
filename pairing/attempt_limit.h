// The limit on wrong console codes: after max in a window, every attempt is refused until the
// oldest of them leaves it (the page says when). A six-character code from 24^3 * 10^3 would
// take years to guess at 5 a minute. Pure: the caller gives the time.
#pragma once

#include <chrono>
#include <deque>

namespace macula {

class AttemptLimit {
 public:
  using Clock = std::chrono::steady_clock;

  AttemptLimit(int max_failures, std::chrono::seconds window) : max_(max_failures), window_(window) {}

  // Zero when an attempt may be made now; else how long until one may.
  std::chrono::seconds wait_before_attempt(Clock::time_point now);
  void record_failure(Clock::time_point now);

 private:
  void forget_before(Clock::time_point now);

  int max_;
  std::chrono::seconds window_;
  std::deque<Clock::time_point> failures_;
};

}  // namespace macula
