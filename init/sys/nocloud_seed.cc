#include "init/sys/nocloud_seed.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>

#include "common/files.h"
#include "common/sys/mounts.h"
#include "config/nocloud_trust.h"
#include "names/names.h"
#include "net/sys/resource.h"

namespace macula {

namespace {

// cloud-init's own cap on user-data is in this order; a seed past it is not a config
constexpr std::size_t kMaxSeedFileBytes = 1u << 20;

struct SeedFiles {
  std::string meta_data;
  std::optional<std::string> user_data;  // meta-data alone is a seed (a host name)
  std::optional<std::string> network_config;
};

bool is_seed(const BlockDevice& device) { return device.label == kNoCloudLabel || device.label == kNoCloudLabelLower; }

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// A config file there that sets something (config/nocloud_trust.h); one that cannot be read
// is taken as a person's.
bool config_file_sets(const std::string& path) {
  auto text = read_file(path, kMaxSeedFileBytes);
  if (!text) return text.error().code != ENOENT;
  return sets_anything(*text);
}

// What config/nocloud_trust.h calls configured: a person's config, setup's mark, or an instance
// applied before.
bool configured(const std::string& state) {
  if (std::ranges::any_of(config_drop_ins(state), config_file_sets)) return true;
  return config_file_sets(state + kNodeConfigPath) || exists(state + kConfiguredFlag) ||
         exists(state + kNoCloudInstanceDir + "/" + std::string(kNoCloudInstanceIdFile));
}

SeedFacts seed_facts(const ConfigRoots& roots, BootLog& log) {
  SeedFacts facts;
  facts.installed = roots.state.has_value();
  facts.configured = roots.state && configured(*roots.state);
  auto config = read_node_config(roots);
  if (config)
    facts.data_sources = data_sources(config->config);
  else
    log.warn("the node config: " + config.error().text() + "; NoCloud seeds are read as by default");
  return facts;
}

Result<SeedFiles> read_seed(const BlockDevice& device) {
  auto mounted = ScopedMount::mount({"/dev/" + device.name, kNoCloudSeedMount, device.type, "ro,nodev,nosuid,noexec"});
  if (!mounted) return fail(mounted.error());
  const std::string dir = kNoCloudSeedMount;
  // capped as they are read: PID 1 does not take a file of any size into memory
  auto meta_data = read_resource(dir + "/meta-data", {}, kMaxSeedFileBytes);
  if (!meta_data && meta_data.error().code == ENOENT)
    return fail("no meta-data: expected one with an instance-id (cloud-init's NoCloud needs it)");
  if (!meta_data) return fail(meta_data.error());
  SeedFiles files{std::move(*meta_data), std::nullopt, std::nullopt};
  for (auto [name, into] : {std::pair{"user-data", &files.user_data}, std::pair{"network-config", &files.network_config}}) {
    auto text = read_resource(dir + "/" + name, {}, kMaxSeedFileBytes);
    if (text)
      *into = std::move(*text);
    else if (text.error().code != ENOENT)
      return fail(text.error());
  }
  return files;
}

// meta-data, user-data and network-config into dir (0700), those of an earlier seed that
// this one lacks taken away. The config reader reads them (config/config_sources.h).
Result<void> write_seed(const std::string& dir, const SeedFiles& files) {
  if (auto r = make_directory(dir, 0700); !r) return r;
  if (auto r = write_file_atomic(dir + "/meta-data", files.meta_data, 0600); !r) return r;
  for (const auto& [name, text] : {std::pair{"user-data", &files.user_data}, std::pair{"network-config", &files.network_config}}) {
    const std::string path = dir + "/" + name;
    if (*text) {
      if (auto r = write_file_atomic(path, **text, 0600); !r) return r;
    } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return fail_errno("unlink " + path);
    }
  }
  return {};
}

// What became of the seed, for the log.
Result<std::string> take_seed(const BlockDevice& device, const std::optional<std::string>& state) {
  auto files = read_seed(device);
  if (!files) return fail(files.error());
  auto id = seed_instance_id(files->meta_data, "meta-data");
  if (!id) return fail(id.error());
  if (!state) {
    if (auto r = write_seed(kNoCloudSeedDir, *files); !r) return fail(r.error());
    return "instance " + *id + " copied to " + kNoCloudSeedDir;
  }
  const std::string kept = *state + kNoCloudInstanceDir;
  const std::string id_path = kept + "/" + std::string(kNoCloudInstanceIdFile);
  if (auto applied = read_file(id_path, kMaxSeedFileBytes); applied && *applied == *id)
    return "instance " + *id + " was applied at an earlier boot: its config stays, its run_cmd does not run again";
  // the instance's id goes last: a boot cut before it takes the seed again as new
  if (auto r = write_seed(kNoCloudSeedDir, *files); !r) return fail(r.error());
  if (auto r = write_seed(kept, *files); !r) return fail(r.error());
  if (auto r = write_file_atomic(id_path, *id, 0600); !r) return fail(r.error());
  return "instance " + *id + " is new: applied at this boot, kept in " + kNoCloudInstanceDir;
}

}  // namespace

void take_nocloud_seed(std::span<const BlockDevice> devices, const ConfigRoots& roots, BootLog& log) {
  const auto seed = std::ranges::find_if(devices, is_seed);
  if (seed == devices.end()) return;
  const std::string what = "NoCloud seed on /dev/" + seed->name + " (" + seed->label + ")";
  if (auto why = seeds_refused(seed_facts(roots, log))) return log.info(what + " ignored: " + *why);
  if (auto why = seed_type_refused(seed->type)) return log.info(what + " ignored: " + *why);
  auto taken = take_seed(*seed, roots.state);
  if (!taken) return log.warn(what + ": " + taken.error().text());
  log.info(what + ": " + *taken);
}

}  // namespace macula
