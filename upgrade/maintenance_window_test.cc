#include "upgrade/maintenance_window.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

MaintenanceWindow window(std::string_view text) {
  auto w = parse_maintenance_window(text);
  REQUIRE(w);
  return *w;
}

constexpr int kSun = 0, kMon = 1, kFri = 5, kSat = 6;

TEST_CASE("a window on one day: open inside it, else the wait until it opens next week") {
  const MaintenanceWindow sunday = window("Sun 02:00-04:00");
  auto inside = window_timing(sunday, {kSun, 3, 15, 0});
  CHECK(inside.wait == seconds(0));
  CHECK(inside.open_for == minutes(45));
  auto before = window_timing(sunday, {kSun, 1, 0, 0});
  CHECK(before.wait == hours(1));
  CHECK(before.open_for == hours(2));
  CHECK(window_timing(sunday, {kSun, 4, 0, 0}).wait == hours(24 * 7 - 2));  // it closed at 04:00
  CHECK(window_timing(sunday, {kSat, 2, 0, 0}).wait == hours(24));
}

TEST_CASE("a window past midnight belongs to the day it opens, and a week wraps from Saturday to Sunday") {
  const MaintenanceWindow late = window("Sat 23:00-01:00");
  auto after_midnight = window_timing(late, {kSun, 0, 30, 0});
  CHECK(after_midnight.wait == seconds(0));
  CHECK(after_midnight.open_for == minutes(30));
  CHECK(window_timing(late, {kFri, 23, 30, 0}).wait == hours(23) + minutes(30));
}

TEST_CASE("days as a list, a range, a range that wraps, or none for every day") {
  CHECK(window("Mon-Fri 01:30-03:00").days == 0b0111110);
  CHECK(window("Sat,Sun 01:30-03:00").days == 0b1000001);
  CHECK(window("Fri-Mon 01:30-03:00").days == 0b1100011);
  const MaintenanceWindow daily = window("02:00-04:00");
  CHECK(daily.days == 0x7f);
  CHECK(window_timing(daily, {kMon, 5, 0, 0}).wait == hours(21));
  CHECK(window_timing(window("Mon-Fri 01:30-03:00"), {kSat, 2, 0, 0}).wait == hours(47) + minutes(30));
}

TEST_CASE("no window is any time") {
  const MaintenanceWindow any = window("");
  CHECK(any.any_time);
  CHECK(window_timing(any, {kMon, 12, 0, 0}).wait == seconds(0));
}

TEST_CASE("a window that does not read is one line saying what was expected") {
  const std::string expected =
      "expected [DAYS ]HH:MM-HH:MM in the node's time, such as 'Sun 02:00-04:00' or 'Mon-Fri 01:30-03:00'";
  for (std::string_view bad : {"Sunday 02:00-04:00", "Sun 2:00-4:00", "Sun 02:00", "Sun 24:00-01:00", "Sun,, 02:00-03:00",
                               "Sun 02:00-04:60", "sun 02:00-04:00", "Sun 02:00-04:00 "}) {
    auto w = parse_maintenance_window(bad);
    REQUIRE_FALSE(w);
    CHECK(w.error().text() == expected);
  }
  CHECK(parse_maintenance_window("Sun 02:00-02:00").error().text() == "the window opens and closes at once");
}

}  // namespace
}  // namespace macula
