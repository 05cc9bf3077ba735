// Whole-file reads and crash-safe whole-file writes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Renames from (already made durable by its writer) to to, then fsyncs to's directory: after a
// power cut to names the old file or the new one.
Result<void> rename_durably(const std::string& from, const std::string& to);

// path becomes a symbolic link to target by a rename of path.tmp over it (a reader finds the old
// link or the new one, never none), made durable.
Result<void> replace_symlink(const std::string& target, const std::string& path);

// Who a file written by root for someone else belongs to.
struct FileOwner {
  uid_t uid = 0;
  gid_t gid = 0;
};

// The same for `name` in the open directory `dir` (`path` names the file in errors); with an
// owner, NAME.tmp is owned by it before the rename, so the file is never someone else's to
// change while root still writes it.
Result<void> write_file_atomic_at(int dir, const std::string& name, const std::string& path, std::string_view content,
                                  mode_t mode, std::optional<FileOwner> owner = std::nullopt);

}  // namespace macula
