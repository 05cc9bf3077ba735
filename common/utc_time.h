// A time as people read it in UTC (strftime's format on gmtime_r), for the lines that say when
// something happened or may happen again: the node's timezone is the config's, not the reader's.
#pragma once

#include <cstdint>
#include <string>

namespace macula {

// seconds since the epoch, formatted; "" when the time has no UTC calendar date
std::string utc_time_text(std::int64_t seconds, const char* format);

}  // namespace macula
