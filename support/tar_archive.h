// A tar archive (POSIX ustar) of files held in memory: what `maculaos support` bundles, which
// any tar reads. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace macula {

struct TarEntry {
  std::string name;     // the path in the archive, at most 100 bytes
  std::string content;
  std::int64_t mtime = 0;  // seconds since the epoch
};

// The archive: each entry a regular file, 0644 root's, then the two zero blocks that end it.
// An error names an entry whose name does not fit.
Result<std::string> tar_archive(const std::vector<TarEntry>& entries);

}  // namespace macula
