// What a download writes to a file: the bytes as they arrive, or decompressed (zstd) on the
// way, hashed (SHA-256) and held to an expected size, so a file is checked without being read
// again. `maculaos fetch` and the upgrader's artifacts both land through it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/result.h"
#include "common/background_sha256.h"
#include "net/zstd_stream.h"

namespace macula {

class FileSink {
 public:
  struct Options {
    bool zstd = false;                       // the stream is zstd: the file gets its content
    bool hash = true;                        // SHA-256 of what the file holds
    std::optional<std::uint64_t> max_size = std::nullopt;  // more is refused
  };

  // Writes to fd (opened by the caller; `path` names it in errors). `what` names the stream.
  FileSink(int fd, std::string path, std::string what, Options options);
  FileSink(const FileSink&) = delete;  // its decoder writes through `this`
  FileSink& operator=(const FileSink&) = delete;

  // A resumed download: hashes what the file already holds and counts it.
  Result<void> take_existing();
  // The next bytes of the stream.
  Result<void> feed(std::span<const std::byte> received);
  // The stream has ended: fails if it stopped inside a zstd frame (truncated).
  Result<void> finish();

  std::uint64_t size() const { return size_; }  // bytes in the file
  std::string sha256() { return hash_ ? hash_->hex() : ""; }  // call once, after finish()

 private:
  Result<void> write(std::span<const std::byte> bytes);

  int fd_;
  std::string path_;
  std::string what_;
  Options options_;
  std::optional<BackgroundSha256> hash_;  // overlaps the network and the disk
  ZstdDecoder decoder_;
  std::uint64_t size_ = 0;
};

}  // namespace macula
