#include "init/sys/root_image_tools.h"

#include "common/sys/mounts.h"
#include "common/process.h"
#include "names/names.h"

namespace macula {

Result<void> run_from_root_image(const std::vector<std::string>& argv, const std::string& input,
                                 std::chrono::milliseconds timeout) {
  std::vector<ScopedMount> binds;
  for (const char* dir : {"/dev", "/proc", "/sys"}) {
    auto bind = ScopedMount::mount({dir, std::string(kRootImageMount) + dir, "none", "bind"});
    if (!bind) return fail("the root image's tools", bind.error());
    binds.push_back(std::move(*bind));
  }
  if (auto r = run_command(argv, input, timeout, kRootImageMount); !r) return fail(r.error());
  return {};
}

}  // namespace macula
