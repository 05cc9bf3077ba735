// What root makes for someone else when it applies the config: ~macula/.ssh and its
// authorized_keys, write_files' paths. Those directories may be the user's, who can put a
// symbolic link where root expects a directory or a file (`ln -s /etc ~/.ssh`): nothing here
// follows one. Paths are walked one component at a time (openat with O_NOFOLLOW), owners and
// modes are set through the descriptors (fchown, fchmod), and a file is owned and moded before
// it is renamed into place. A link is followed only when root owns it and the directory
// holding it (the image's own, such as /var/run -> /run): no user can make such a link.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/fd.h"
#include "common/result.h"

namespace macula {

// The directory at the absolute path, its missing components made (0755) when create. A link
// someone else may have put in the way is an error naming it: "PATH: a symbolic link (uid N's):
// not followed".
Result<UniqueFd> open_directory_nofollow(const std::string& path, bool create);

// The directory at path (made with mode when missing, in a parent that must exist) owned by
// uid:gid with mode. A link at path is refused, whoever owns it.
Result<UniqueFd> own_directory(const std::string& path, mode_t mode, uid_t uid, gid_t gid);

// name in the directory dir (dir_path names it in errors) written atomically with content, mode
// and owner: NAME.tmp is made there, written, owned, moded and synced, then renamed over NAME.
// A NAME that is a link open_directory_nofollow would not follow is refused and left as it is.
Result<void> write_owned_at(int dir, const std::string& dir_path, const std::string& name, std::string_view content,
                            mode_t mode, uid_t uid, gid_t gid);

// The same for an absolute path, its missing parents made (0755, root's).
Result<void> write_owned(const std::string& path, std::string_view content, mode_t mode, uid_t uid, gid_t gid);

// write_owned with the file's content so far in front of content (cloud-init's `append: true`).
// A file that already ends with content is left so (owned and moded): the boot stage applies
// at every boot and again when the network brings a new config, and appends once.
Result<void> append_owned(const std::string& path, std::string_view content, mode_t mode, uid_t uid, gid_t gid);

}  // namespace macula
