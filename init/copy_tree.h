// Copying a directory tree with owners, modes, times, symlinks and device nodes, as `cp -a`.
#pragma once

#include <string>

#include "common/result.h"

namespace macula {

// Copies the contents of `from` into `to` (created). Does not cross into other mounts.
Result<void> copy_tree(const std::string& from, const std::string& to);

}  // namespace macula
