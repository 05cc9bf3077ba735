// Whole-file reads and crash-safe whole-file writes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "common/result.h"

namespace macula {

Result<std::string> read_file(const std::string& path);
// The same, refused (EFBIG) past max_bytes: what a process must not hold whole whatever the
// file (PID 1 reads configs).
Result<std::string> read_file(const std::string& path, std::uint64_t max_bytes);

// The directory path, its missing parents made too, with mode (set also when it existed).
Result<void> make_directory(const std::string& path, mode_t mode);

// Writes path.tmp, fsyncs it, renames it over path and fsyncs the directory: after a power cut
// the file holds either the old or the new content, never a mix.
Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode);

}  // namespace macula
