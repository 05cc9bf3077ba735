// `maculaos logs -f`, as `tail -F`: where to read next in a log that grows, is emptied by its
// rotation (copy and truncate) or is replaced by another file of the same name. Pure.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace macula {

struct FollowedFile {
  dev_t device = 0;
  ino_t inode = 0;
  std::uint64_t size = 0;
};

struct FollowRead {
  bool reopen = false;         // another file has the name now: open it and read it from the start
  std::uint64_t from = 0;      // read from here up to the size
};

// The next read, given the file read up to `offset` and what the name holds now.
FollowRead next_follow_read(const FollowedFile& open, std::uint64_t offset, const FollowedFile& named);

}  // namespace macula
