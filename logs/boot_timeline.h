// `maculaos logs --boot`: init's boot report (boot.json, init/boot_report.h writes it) as a
// person reads it: what booted from where, then each stage of /init on a timeline from the
// kernel's start, then the warnings.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

// The report's text; an error names `source` when it is not a boot report.
Result<std::string> boot_timeline(std::string_view json, std::string_view source);

}  // namespace macula
