// What one connection to the pairing page may take before the server cuts it: so many reads
// from its socket (each at most the server's 4 KiB buffer) and a deadline from when it was
// accepted. cpp-httplib 0.11.4 (Debian 12's) grows a request line or header line without a
// bound before it checks its length, and reads bodies without a length unbounded: this bounds
// what any connection can make the server hold, and for how long. Pure: the caller gives the
// time.
#pragma once

#include <chrono>

namespace macula {

class ConnectionBudget {
 public:
  using Clock = std::chrono::steady_clock;

  ConnectionBudget(int max_reads, Clock::time_point deadline) : reads_left_(max_reads), deadline_(deadline) {}

  // Whether one more read may be made at now (counting it).
  bool take_read(Clock::time_point now) {
    if (reads_left_ <= 0 || now >= deadline_) return false;
    --reads_left_;
    return true;
  }

 private:
  int reads_left_;
  Clock::time_point deadline_;
};

}  // namespace macula
