// maculaos.upgrade.maintenance_window: when auto_apply may reboot a node into a new release.
// "Sun 02:00-04:00", "Mon-Fri 01:30-03:00", "Sat,Sun 23:00-01:00" (a window may run past
// midnight: its days are the days it opens), "02:00-04:00" (every day); empty: any time. The
// times are the node's local time (maculaos.timezone), as kured's --start-time and
// --reboot-days read theirs. Pure: the local time in, how long to wait out.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

struct MaintenanceWindow {
  std::uint8_t days = 0x7f;  // bit d: opens on weekday d (0 Sunday, as struct tm's tm_wday)
  int start_minute = 0;      // minutes after midnight
  int length_minutes = 24 * 60;
  bool any_time = true;      // the empty window: always open
};

// Fails with the reason and the expected form, in one line; the caller names the setting and
// text (the schema does, for a config).
Result<MaintenanceWindow> parse_maintenance_window(std::string_view text);

// A local time as struct tm breaks it down.
struct LocalTime {
  int weekday = 0;  // 0 Sunday .. 6 Saturday
  int hour = 0, minute = 0, second = 0;
};

// When the window is next open from `now`: wait 0 while it is open; open_for is how long it
// stays open from the moment the wait ends.
struct WindowTiming {
  std::chrono::seconds wait{0};
  std::chrono::seconds open_for{0};
};
WindowTiming window_timing(const MaintenanceWindow& window, const LocalTime& now);

}  // namespace macula
