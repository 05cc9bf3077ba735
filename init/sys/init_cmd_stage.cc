#include "init/sys/init_cmd_stage.h"

#include <sys/stat.h>

#include <chrono>
#include <optional>
#include <vector>

#include "common/sys/mounts.h"
#include "common/process.h"
#include "common/text_lines.h"

namespace macula {

namespace {

constexpr const char* kBinaryInRoot = "/usr/bin/maculaos";
// init_cmd's commands have 5 minutes each (config_apply.h); the stage as a whole no more than
// this, so a node never waits on it for ever.
constexpr std::chrono::minutes kStageTimeout{15};

}  // namespace

void run_init_cmd_stage(const std::string& new_root, BootLog& log) {
  struct stat link {};
  if (::lstat((new_root + kBinaryInRoot).c_str(), &link) != 0) return;  // not a MaculaOS root
  // The stage reads /proc/cmdline and its commands expect /dev and /sys; the root's maculaos
  // links to the copy of this binary in /run (init/sys/handoff.h). Bound in for the run, unbound
  // before switch_root moves the real ones there.
  std::vector<ScopedMount> binds;
  for (const char* dir : {"/proc", "/sys", "/dev", "/run"}) {
    auto bound = ScopedMount::mount({dir, new_root + dir, "", "bind"});
    if (!bound) return log.warn("init_cmd: not run: " + bound.error().text());
    binds.push_back(std::move(*bound));
  }
  auto output = run_command({"/bin/chroot", new_root, kBinaryInRoot, "config", "apply", "--stage", "init"}, "",
                            kStageTimeout);
  if (!output) return log.warn("init_cmd: " + output.error().text());
  for (const std::string_view line : text_lines(*output)) log.info(std::string(line));
}

}  // namespace macula
