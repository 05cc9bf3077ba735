#include "init/module_loader.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>

#include "common/fd.h"

namespace macula {

std::string kernel_release() {
  struct utsname u {};
  ::uname(&u);
  return u.release;
}

ModuleLoadResult load_modules(const ModulePlan& plan, const std::string& release, BootLog& log) {
  ModuleLoadResult result;
  for (const std::string& name : plan.unknown) {
    log.warn("module " + name + ": not in the initramfs (not in kernel-configs/modules lists)");
    ++result.failed;
  }
  const std::string base = std::string(kModuleDir) + "/" + release + "/";
  for (const ModuleEntry* m : plan.load) {
    const std::string path = base + m->path;
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    // glibc 2.36 has no finit_module wrapper.
    if (fd && (::syscall(SYS_finit_module, fd.get(), "", 0) == 0 || errno == EEXIST)) {
      log.debug("loaded module " + m->name);
      ++result.loaded;
      continue;
    }
    log.warn("module " + m->name + " (" + path + "): " + std::strerror(errno));
    ++result.failed;
  }
  return result;
}

}  // namespace macula
