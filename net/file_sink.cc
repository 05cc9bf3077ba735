#include "net/file_sink.h"

#include <unistd.h>

#include "common/fd.h"

namespace macula {

FileSink::FileSink(int fd, std::string path, std::string what, Options options)
    : fd_(fd), path_(std::move(path)), what_(std::move(what)), options_(options),
      decoder_(what_, [this](std::span<const std::byte> out) { return write(out); }) {
  // only when asked for: software SHA-256 is slower than the wire
  if (options_.hash) hash_.emplace();
}

Result<void> FileSink::take_existing() {
  std::byte buf[1 << 16];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(fd_, buf, sizeof buf, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + path_);
    if (n == 0) return {};
    if (hash_) hash_->update(std::span(buf, static_cast<size_t>(n)));
    size_ += static_cast<std::uint64_t>(n);
    at += n;
  }
}

Result<void> FileSink::write(std::span<const std::byte> bytes) {
  if (options_.max_size && size_ + bytes.size() > *options_.max_size)
    return fail(ErrorKind::verification,
                what_ + ": more than the " + std::to_string(*options_.max_size) + " bytes expected");
  if (hash_) hash_->update(bytes);
  size_ += bytes.size();
  return write_all(fd_, bytes, path_);
}

Result<void> FileSink::feed(std::span<const std::byte> received) {
  return options_.zstd ? decoder_.feed(received) : write(received);
}

Result<void> FileSink::finish() { return options_.zstd ? decoder_.finish() : Result<void>(); }

}  // namespace macula
