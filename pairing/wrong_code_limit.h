// The limit on wrong console codes, per client address and overall. Each record holds attempts
// for a while once it has seen enough wrong codes, the hold doubling with each wrong code after
// (up to a ceiling): one host on the LAN is held alone, and many hosts together are held too.
// Every so many wrong codes overall the caller draws a new console code, so guesses never add
// up against one code. The table of addresses is bounded: the quietest record makes room for a
// new address. Pure: the caller gives the time.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace macula {

struct HoldPolicy {
  int wrong_before_hold;             // the wrong code that brings the first hold
  std::chrono::seconds first_hold;   // doubled by each wrong code after it
  std::chrono::seconds max_hold;
  std::chrono::seconds forget_after;  // a record this long without a wrong code starts over
};

class WrongCodeLimit {
 public:
  using Clock = std::chrono::steady_clock;

  WrongCodeLimit(HoldPolicy per_address, HoldPolicy overall, std::size_t max_addresses, int redraw_every);

  // Zero when address may try a code now; else how long until it may (rounded up).
  std::chrono::seconds wait_before_attempt(const std::string& address, Clock::time_point now);
  // Counts a wrong code from address: true when the console code is to be drawn anew.
  bool record_wrong_code(const std::string& address, Clock::time_point now);

  std::size_t addresses_kept() const { return by_address_.size(); }

 private:
  struct Record {
    int wrong = 0;
    Clock::time_point last{}, held_until{};
  };

  // No wrong code, or none for forget_after and no hold: the record may start over.
  static bool quiet(const Record& record, const HoldPolicy& policy, Clock::time_point now);
  static void count_wrong(Record& record, const HoldPolicy& policy, Clock::time_point now);
  Record& record_of(const std::string& address, Clock::time_point now);

  HoldPolicy per_address_, overall_policy_;
  std::size_t max_addresses_;
  int redraw_every_;
  int wrong_since_redraw_ = 0;
  Record overall_;
  std::unordered_map<std::string, Record> by_address_;
};

}  // namespace macula
