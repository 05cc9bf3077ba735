// The cluster of a k3s server, through k3s's kubectl and its admin kubeconfig: the upgrade
// Leases in kube-system, and draining this node (upgrade/auto_apply.h).
#pragma once

#include <string>
#include <vector>

#include "upgrade/auto_apply.h"

namespace macula {

class KubectlCluster final : public UpgradeCluster {
 public:
  Result<std::optional<std::string>> get_lease(const std::string& name) override;
  Result<bool> create_lease(const std::string& manifest) override;
  Result<bool> replace_lease(const std::string& manifest) override;
  Result<void> delete_lease(const std::string& name) override;
  Result<void> drain(const std::string& node) override;
  Result<void> uncordon(const std::string& node) override;
};

}  // namespace macula
