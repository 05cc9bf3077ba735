// The initramfs's module index and load list, as PID 1 reads them: the index text, a NUL, then
// the names to load. Nothing crashes; a plan loads each module after its dependencies.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "init/module_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  auto index = macula::parse_module_index(input.substr(0, nul));
  const auto names = macula::parse_module_names(nul == std::string_view::npos ? "" : input.substr(nul + 1));
  if (!index) return 0;
  const macula::ModulePlan plan = macula::plan_module_loads(*index, names);
  std::set<std::string_view> loaded;
  for (const macula::ModuleEntry* m : plan.load) {
    for (const std::string& dep : m->deps)
      if (!loaded.contains(dep)) std::abort();
    loaded.insert(m->name);
  }
  return 0;
}
