// maculaos.ntp_servers: the sources chronyd uses (its sourcedir /etc/chrony/sources.d; the
// image's chrony.conf names no source of its own). Pure.
#pragma once

#include <string>

#include "config/config_tree.h"

namespace macula {

inline constexpr const char* kNtpSourcesPath = "/etc/chrony/sources.d/maculaos.sources";

// "server NAME iburst" a line; without ntp_servers, Debian's default pool.
std::string ntp_sources(const ConfigNode& config);

}  // namespace macula
