// `maculaos logs kernel`: the kernel's ring buffer, read from /dev/kmsg, as dmesg prints it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace macula {

// A /dev/kmsg record ("PRIORITY,SEQUENCE,MICROSECONDS,FLAGS;MESSAGE\n KEY=VALUE..."), as
// "[SECONDS.MICROS] MESSAGE"; nothing for a record not in that shape.
std::optional<std::string> kmsg_line(std::string_view record);

}  // namespace macula
