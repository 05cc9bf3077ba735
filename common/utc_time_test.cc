#include "common/utc_time.h"

#include <catch2/catch.hpp>
#include <cstdint>

namespace macula {
namespace {

TEST_CASE("a time in UTC as people read it, and nothing for a time with no calendar date") {
  CHECK(utc_time_text(1'800'000'000, "%Y-%m-%d %H:%M UTC") == "2027-01-15 08:00 UTC");
  CHECK(utc_time_text(0, "%Y%m%dT%H%M%SZ") == "19700101T000000Z");
  CHECK(utc_time_text(INT64_MAX, "%Y") == "");
}

}  // namespace
}  // namespace macula
