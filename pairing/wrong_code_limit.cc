#include "pairing/wrong_code_limit.h"

#include <algorithm>

namespace macula {

WrongCodeLimit::WrongCodeLimit(HoldPolicy per_address, HoldPolicy overall, std::size_t max_addresses, int redraw_every)
    : per_address_(per_address), overall_policy_(overall), max_addresses_(std::max<std::size_t>(max_addresses, 1)),
      redraw_every_(redraw_every) {}

bool WrongCodeLimit::quiet(const Record& record, const HoldPolicy& policy, Clock::time_point now) {
  return record.wrong == 0 || (now >= record.held_until && now - record.last >= policy.forget_after);
}

void WrongCodeLimit::count_wrong(Record& record, const HoldPolicy& policy, Clock::time_point now) {
  if (quiet(record, policy, now)) record = Record{};
  ++record.wrong;
  record.last = now;
  if (record.wrong < policy.wrong_before_hold) return;
  auto hold = policy.first_hold;
  // doubled once per wrong code past the first hold, stopping at the ceiling (no overflow)
  for (int i = policy.wrong_before_hold; i < record.wrong && hold < policy.max_hold; ++i) hold *= 2;
  record.held_until = now + std::min(hold, policy.max_hold);
}

WrongCodeLimit::Record& WrongCodeLimit::record_of(const std::string& address, Clock::time_point now) {
  if (const auto found = by_address_.find(address); found != by_address_.end()) return found->second;
  if (by_address_.size() >= max_addresses_) {
    std::erase_if(by_address_, [&](const auto& entry) { return quiet(entry.second, per_address_, now); });
  }
  if (by_address_.size() >= max_addresses_) {
    // the record whose last wrong code is the oldest: the overall record still holds its host
    by_address_.erase(std::min_element(by_address_.begin(), by_address_.end(), [](const auto& a, const auto& b) {
      return a.second.last < b.second.last;
    }));
  }
  return by_address_[address];
}

std::chrono::seconds WrongCodeLimit::wait_before_attempt(const std::string& address, Clock::time_point now) {
  auto held_until = overall_.held_until;
  if (const auto found = by_address_.find(address); found != by_address_.end())
    held_until = std::max(held_until, found->second.held_until);
  if (held_until <= now) return std::chrono::seconds(0);
  // rounded up: "try again in 0 s" while still refused would be wrong
  return std::chrono::ceil<std::chrono::seconds>(held_until - now);
}

bool WrongCodeLimit::record_wrong_code(const std::string& address, Clock::time_point now) {
  count_wrong(record_of(address, now), per_address_, now);
  count_wrong(overall_, overall_policy_, now);
  if (++wrong_since_redraw_ < redraw_every_) return false;
  wrong_since_redraw_ = 0;
  return true;
}

}  // namespace macula
