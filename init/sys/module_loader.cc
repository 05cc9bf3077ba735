#include "init/sys/module_loader.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>

#include "common/fd.h"
#include "common/files.h"

namespace macula {

std::string kernel_release() {
  struct utsname u {};
  ::uname(&u);
  return u.release;
}

std::vector<std::string> module_list(const std::string& list) {
  return parse_module_names(read_file(std::string(kModuleDir) + "/maculaos." + list).value_or(""));
}

ModuleLoadResult load_modules(std::vector<std::string> names, const std::string& release, BootLog& log,
                              LoadFailure failure) {
  ModuleLoadResult result;
  auto index_text = read_file(std::string(kModuleDir) + "/maculaos.modules");
  if (!index_text) {
    log.warn("no module index (" + index_text.error().text() + "): loading no modules");
    return result;
  }
  auto index = parse_module_index(*index_text);
  if (!index) {
    log.warn("no module index (" + index.error().text() + "): loading no modules");
    return result;
  }
  const ModulePlan plan = plan_module_loads(*index, names);
  auto failed = [&](const std::string& line) {
    failure == LoadFailure::warn ? log.warn(line) : log.debug(line);
    ++result.failed;
  };
  for (const std::string& name : plan.unknown)
    failed("module " + name + ": not in the initramfs (not in kernel-configs/modules lists)");
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
    failed("module " + m->name + " (" + path + "): " + std::strerror(errno));
  }
  return result;
}

}  // namespace macula
