#include "config/ntp.h"

namespace macula {

namespace {

constexpr const char* kDefaultPool = "pool 2.debian.pool.ntp.org iburst\n";  // Debian's chrony.conf

}  // namespace

std::string ntp_sources(const ConfigNode& config) {
  std::string out = "# Written at boot by `maculaos config apply` from maculaos.ntp_servers: edit config.yaml instead.\n";
  const ConfigNode* servers = config_at(config, "maculaos.ntp_servers");
  if (!servers || !servers->is_sequence() || servers->items.empty()) return out + kDefaultPool;
  for (const ConfigNode& server : servers->items) out += "server " + server.text + " iburst\n";
  return out;
}

}  // namespace macula
