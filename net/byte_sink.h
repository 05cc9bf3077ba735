// Where streamed bytes go: a downloader, a decompressor or a file reader hands each chunk, in
// order, to a sink; an error from the sink stops the stream.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "common/result.h"

namespace macula {

using ByteSink = std::function<Result<void>(std::span<const std::byte>)>;

}  // namespace macula
