#include "pairing/attempt_limit.h"

namespace macula {

void AttemptLimit::forget_before(Clock::time_point now) {
  while (!failures_.empty() && now - failures_.front() >= window_) failures_.pop_front();
}

std::chrono::seconds AttemptLimit::wait_before_attempt(Clock::time_point now) {
  forget_before(now);
  if (static_cast<int>(failures_.size()) < max_) return std::chrono::seconds(0);
  // rounded up: "try again in 0 s" while still refused would be wrong
  return std::chrono::ceil<std::chrono::seconds>(failures_.front() + window_ - now);
}

void AttemptLimit::record_failure(Clock::time_point now) {
  forget_before(now);
  failures_.push_back(now);
}

}  // namespace macula
