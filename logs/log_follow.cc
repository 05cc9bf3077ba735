#include "logs/log_follow.h"

namespace macula {

FollowRead next_follow_read(const FollowedFile& open, std::uint64_t offset, const FollowedFile& named) {
  if (named.device != open.device || named.inode != open.inode) return {true, 0};
  // smaller than what was read: emptied (rotated), and what came since is at its start
  if (named.size < offset) return {false, 0};
  return {false, offset};
}

}  // namespace macula
