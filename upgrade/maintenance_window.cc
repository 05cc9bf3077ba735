#include "upgrade/maintenance_window.h"

#include <array>
#include <charconv>
#include <limits>

namespace macula {

namespace {

constexpr int kDay = 24 * 60;
constexpr int kWeek = 7 * kDay;
constexpr std::array<std::string_view, 7> kDayNames = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view kExpected =
    "expected [DAYS ]HH:MM-HH:MM in the node's time, such as 'Sun 02:00-04:00' or 'Mon-Fri 01:30-03:00'";

int day_index(std::string_view name) {
  for (int d = 0; d < 7; ++d)
    if (kDayNames[d] == name) return d;
  return -1;
}

// "Sun", "Mon-Fri", "Sat,Sun", "Fri-Mon" (a range may wrap past Saturday)
bool parse_days(std::string_view text, std::uint8_t& days) {
  days = 0;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t dash = item.find('-');
    const int first = day_index(item.substr(0, dash));
    const int last = dash == std::string_view::npos ? first : day_index(item.substr(dash + 1));
    if (first < 0 || last < 0) return false;
    for (int d = first;; d = (d + 1) % 7) {
      days |= static_cast<std::uint8_t>(1u << d);
      if (d == last) break;
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return false;
  }
  return days != 0;
}

// "HH:MM" to minutes after midnight, or -1
int parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  int hour = 0, minute = 0;
  auto h = std::from_chars(text.data(), text.data() + 2, hour);
  auto m = std::from_chars(text.data() + 3, text.data() + 5, minute);
  if (h.ptr != text.data() + 2 || m.ptr != text.data() + 5 || hour > 23 || minute > 59) return -1;
  return hour * 60 + minute;
}

}  // namespace

Result<MaintenanceWindow> parse_maintenance_window(std::string_view text) {
  if (text.empty()) return MaintenanceWindow{};
  MaintenanceWindow window{.any_time = false};
  std::string_view span = text;
  if (const std::size_t space = text.find(' '); space != std::string_view::npos) {
    if (!parse_days(text.substr(0, space), window.days))
      return fail(std::string(kExpected));
    span = text.substr(space + 1);
  }
  const std::size_t dash = span.find('-');
  const int start = dash == std::string_view::npos ? -1 : parse_clock(span.substr(0, dash));
  const int end = dash == std::string_view::npos ? -1 : parse_clock(span.substr(dash + 1));
  if (start < 0 || end < 0) return fail(std::string(kExpected));
  if (start == end) return fail("the window opens and closes at once");
  window.start_minute = start;
  window.length_minutes = (end - start + kDay) % kDay;
  return window;
}

WindowTiming window_timing(const MaintenanceWindow& window, const LocalTime& now) {
  if (window.any_time) return {.wait = std::chrono::seconds(0), .open_for = std::chrono::hours(24 * 7)};
  // seconds into the week, and each opening's distance from now (the week wraps)
  const long week = static_cast<long>(kWeek) * 60;
  const long at = ((now.weekday * 24L + now.hour) * 60 + now.minute) * 60 + now.second;
  const long length = window.length_minutes * 60L;
  long best_wait = std::numeric_limits<long>::max();
  for (int d = 0; d < 7; ++d) {
    if (!(window.days & (1u << d))) continue;
    const long opens = (d * static_cast<long>(kDay) + window.start_minute) * 60;
    const long since = ((at - opens) % week + week) % week;  // how long ago it last opened
    if (since < length) return {.wait = std::chrono::seconds(0), .open_for = std::chrono::seconds(length - since)};
    best_wait = std::min(best_wait, week - since);
  }
  return {.wait = std::chrono::seconds(best_wait), .open_for = std::chrono::seconds(length)};
}

}  // namespace macula
