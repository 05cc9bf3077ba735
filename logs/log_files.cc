#include "logs/log_files.h"

#include "names/names.h"

namespace macula {

namespace {

constexpr ServiceLog kServiceLogs[] = {
    {"k3s", kK3sLogPath, "k3s, server or agent (its supervisor's output)"},
    {"macula-firstboot", kFirstbootLogPath, "first-boot pairing with the Portal"},
    {"macula-mdns-name", kMdnsNameLogPath, "each time the mDNS host name was reclaimed from avahi"},
    {"macula-mesh", kMeshLogPath, "the mesh peer daemon"},
    {"macula-bootstrap", kBootstrapLogPath, "the mesh bootstrap daemon (when its role is on)"},
    {"macula-gateway", kGatewayLogPath, "the mesh gateway daemon (when its role is on)"},
    {"macula-logs", kRotationLogPath, "the rotation of these logs, when a pass failed"},
    {"macula-update-check", kUpdateCheckLogPath, "maculaos.upgrade.auto_check's checks of the release channel"},
};

}  // namespace

std::span<const ServiceLog> service_logs() { return kServiceLogs; }

std::optional<ServiceLog> service_log(std::string_view name) {
  for (const ServiceLog& log : kServiceLogs)
    if (log.name == name) return log;
  return std::nullopt;
}

}  // namespace macula
