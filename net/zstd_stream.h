// Streaming zstd decompression in constant memory: compressed bytes in, decompressed chunks
// out to a sink, whatever the size of the whole.
#pragma once

#include <zstd.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "net/byte_sink.h"

namespace macula {

class ZstdDecoder {
 public:
  // `what` names the stream in errors; `sink` receives the decompressed bytes in order.
  ZstdDecoder(std::string what, ByteSink sink);

  Result<void> feed(std::span<const std::byte> compressed);
  // Fails if the stream stopped inside a frame (a truncated download).
  Result<void> finish();

 private:
  std::string what_;
  ByteSink sink_;
  std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream_;
  std::vector<std::byte> out_;
  bool in_frame_ = false;  // the last call stopped inside a frame
};

}  // namespace macula
