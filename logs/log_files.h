// The logs `maculaos logs` shows and `maculaos support` gathers: each service's log under
// /var/log (the rootfs's OpenRC services write them: rootfs/overlay/etc/init.d), by the name a
// person knows the service by.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace macula {

struct ServiceLog {
  std::string_view name;  // the OpenRC service, as `maculaos logs NAME` takes it
  std::string_view path;
  std::string_view what;  // one line for the list
};

// Every service log, in the order the list shows them.
std::span<const ServiceLog> service_logs();

// The log of the service named, or nothing when no service of that name writes one.
std::optional<ServiceLog> service_log(std::string_view name);

}  // namespace macula
