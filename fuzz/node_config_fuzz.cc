// The node's config.yaml: the installer merges flags into it, upgrade and init read settings.
// Whatever YAML comes, nothing crashes, and a merge that succeeds writes YAML that parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/node_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  (void)macula::upgrade_settings(yaml, "fuzz");
  (void)macula::boot_settings(yaml, "fuzz");
  macula::ConfigFlags flags;
  flags.hostname = "node-1";
  flags.ssh_keys = {"ssh-ed25519 AAAA fuzz"};
  flags.password_hash = "$6$salt$hash";
  auto merged = macula::merge_node_config(yaml, "fuzz", flags);
  if (merged && !macula::merge_node_config(*merged, "merged", {})) std::abort();
  return 0;
}
