// Copying a file onto the target with progress, hashing as it goes, then reading it back from
// the disk (not the page cache) and checking the hash again.
#pragma once

#include <cstdint>
#include <string>

#include "ab/slot_content.h"
#include "common/result.h"

namespace macula {

Result<CopiedFile> copy_verified(const std::string& from, const std::string& to);

// SHA-256 of what a file holds on disk: fsync, drop its cached pages, read it back.
Result<std::string> sha256_from_disk(const std::string& path);

}  // namespace macula
