#include "net/zstd_stream.h"

namespace macula {

ZstdDecoder::ZstdDecoder(std::string what, ByteSink sink)
    : what_(std::move(what)), sink_(std::move(sink)), stream_(ZSTD_createDStream(), &ZSTD_freeDStream),
      out_(ZSTD_DStreamOutSize()) {}

Result<void> ZstdDecoder::feed(std::span<const std::byte> compressed) {
  if (!stream_) return fail(what_ + ": cannot create a zstd stream (out of memory)");
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    const size_t rc = ZSTD_decompressStream(stream_.get(), &out, &in);
    if (ZSTD_isError(rc))
      return fail(ErrorKind::verification, what_ + ": not valid zstd data: " + ZSTD_getErrorName(rc));
    // rc == 0: a frame ended exactly here; anything else means more input is needed.
    in_frame_ = rc != 0;
    if (out.pos > 0)
      if (auto r = sink_(std::span(out_.data(), out.pos)); !r) return r;
  }
  return {};
}

Result<void> ZstdDecoder::finish() {
  // Inside a frame, the decoder may still hold output (a full buffer stops it): drain it. If
  // nothing more comes out and the frame is still open, the input stopped short.
  while (in_frame_) {
    ZSTD_inBuffer in{nullptr, 0, 0};
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    const size_t rc = ZSTD_decompressStream(stream_.get(), &out, &in);
    if (ZSTD_isError(rc))
      return fail(ErrorKind::verification, what_ + ": not valid zstd data: " + ZSTD_getErrorName(rc));
    if (out.pos > 0)
      if (auto r = sink_(std::span(out_.data(), out.pos)); !r) return r;
    in_frame_ = rc != 0;
    if (in_frame_ && out.pos == 0)
      return fail(ErrorKind::verification, what_ + ": the zstd stream ends inside a frame (truncated)");
  }
  return {};
}

}  // namespace macula
