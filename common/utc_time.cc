#include "common/utc_time.h"

#include <ctime>

namespace macula {

std::string utc_time_text(std::int64_t seconds, const char* format) {
  const std::time_t when = static_cast<std::time_t>(seconds);
  std::tm utc{};
  char text[64] = "";
  if (!::gmtime_r(&when, &utc) || std::strftime(text, sizeof text, format, &utc) == 0) return "";
  return text;
}

}  // namespace macula
