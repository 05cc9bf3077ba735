// The node's K3sNode (setup/k3s_start.h): OpenRC's k3s service, k3s's own client, the clock.
#pragma once

#include "setup/k3s_start.h"

namespace macula {

class NodeK3s final : public K3sNode {
 public:
  Result<void> service_status() override;
  Result<void> restart_service() override;
  Result<std::string> api_readiness(std::chrono::seconds timeout) override;
  std::chrono::steady_clock::time_point now() override;
  void sleep(std::chrono::seconds duration) override;
  void say(const std::string& line) override;
};

}  // namespace macula
