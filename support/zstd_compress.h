// One zstd frame of a whole buffer (the support bundle: a few MiB), any zstd reads it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

Result<std::string> zstd_compress(std::string_view data, int level);

}  // namespace macula
