// maculaos.upgrade.auto_check (default on): a service checks the node's release channel after
// the boot (on an installed node, once the slot is marked good) and then about once a day, and
// keeps the answer (kAvailableReleasePath) for sysinfo, the motd and `upgrade --status`. The
// schedule, the kept answer and the line people read are here, pure; the service is upgrade/sys's.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "upgrade/upgrade_sequence.h"

namespace macula {

// A day, plus up to an hour at random so that a fleet booted together does not ask together.
inline constexpr std::chrono::hours kCheckInterval{24};
inline constexpr std::chrono::minutes kCheckJitter{60};
// After a check that failed: 5 min, doubled after each failure in a row, at most 6 h.
inline constexpr std::chrono::minutes kFirstRetry{5};
inline constexpr std::chrono::hours kLongestRetry{6};

// How long until the next check. failures_in_a_row: 0 after a check that answered. random: any
// number (the jitter is random % the jitter's seconds; a retry takes a tenth of it).
std::chrono::seconds next_check_delay(int failures_in_a_row, std::uint32_t random);

// The kept answer: the check (UpgradeCheck's JSON fields) and when it was made.
struct KeptCheck {
  UpgradeCheck check;
  std::int64_t checked_at = 0;  // seconds since the epoch
};
std::string kept_check_json(const KeptCheck& kept);
// Fails naming source when it is not a kept check (a file changed by hand, or cut short).
Result<KeptCheck> parse_kept_check(std::string_view json, std::string_view source);

// "0.2.0 is available (stable), released 2026-12-01: URL" (the date's day only; the parts the
// source gave), or "" when the release is not newer than `running` (the version that runs now:
// a check kept before an upgrade may name the version the node has since moved to).
std::string available_line(const UpgradeCheck& check, std::string_view running);

// `upgrade --status`'s line of the kept check: "update: " and available_line, or "update: none
// newer on stable (checked 2026-12-07 10:00 UTC)".
std::string update_status_line(const KeptCheck& kept, std::string_view running);

}  // namespace macula
