// Copying a directory tree with owners, modes, times, symlinks and device nodes, as `cp -a`.
#pragma once

#include <string>

#include "common/result.h"

namespace macula {

enum class CopyMode {
  fresh,  // nothing exists at `to` yet: anything there is an error
  merge,  // into what is there: entries that exist are kept as they are; each file copied lands
          // whole under its name (written beside it, then renamed), so a copy cut short and
          // done again completes it
};

// Copies the contents of `from` into `to` (created). Does not cross into other mounts.
Result<void> copy_tree(const std::string& from, const std::string& to, CopyMode mode = CopyMode::fresh);

}  // namespace macula
