// The kernel command line, as PID 1 reads it: any bytes parse, and every warning stays one line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/kernel_cmdline.h"
#include "init/cmdline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const macula::BootConfig config = macula::parse_cmdline(text);
  for (const std::string& w : config.warnings)
    if (w.find('\n') != std::string::npos) std::abort();
  (void)macula::emergency_action(config, config.mode);
  (void)macula::parse_cmdline_params(text);
  return 0;
}
