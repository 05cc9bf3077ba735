// A download into a file that is either absent or complete (and verified): the body goes to
// FILE.part, resumed across runs when FILE.part.source says the server still has the same
// version of it (net/resume.h), and is renamed to FILE once whole. `maculaos fetch` and
// `maculaos setup` land their files through it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "net/sys/download.h"

namespace macula {

struct FileFetch {
  DownloadRequest download;
  std::string output;
  std::optional<std::string> sha256 = std::nullopt;  // FILE is refused (and FILE.part removed) unless it hashes to this
  bool zstd = false;                                 // decompress on the way: FILE holds the content
};

// Downloads into FILE.part (resuming it), checks, fsyncs and renames: FILE is absent or whole.
// A download.url that is a local path (net/sys/resource.h) is copied through the same checks.
// Returns the number of body bytes received by this run. A SHA-256 mismatch names both hashes.
Result<std::uint64_t> fetch_to_file(FileFetch request);

}  // namespace macula
