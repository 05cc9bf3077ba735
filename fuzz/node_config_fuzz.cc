// The node's config.yaml: the installer merges flags into it, the sources merge it (as a config
// and as NoCloud user-data), the boot stage plans from the merge and upgrade and init read their
// settings from it.
// Whatever YAML comes, nothing crashes, and a merge that succeeds writes YAML that parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config_apply.h"
#include "config/config_sources.h"
#include "config/node_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  macula::ConfigFlags flags;
  flags.set("hostname", "node-1");
  flags.ssh_keys = {"ssh-ed25519 AAAA fuzz"};
  flags.set("maculaos.password", "$6$salt$hash");
  auto merged = macula::merge_node_config(yaml, "fuzz", flags);
  if (merged && !macula::merge_node_config(*merged, "merged", {})) std::abort();

  using Format = macula::ConfigText::Format;
  const std::string text(yaml);
  const std::vector<macula::ConfigText> sources = {{"config.yaml", text}, {"user-data", text, Format::nocloud_user_data},
                                                   {"meta-data", text, Format::nocloud_meta_data}};
  const macula::MergedConfig config = macula::merge_config_sources(sources, {});
  (void)macula::boot_plan(config.tree);  // the plan of a config the schema took
  (void)macula::upgrade_settings(config.tree);
  (void)macula::boot_settings(config.tree);
  (void)macula::live_settings(config.tree);
  return 0;
}
