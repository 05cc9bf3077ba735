#include "upgrade/sys/kubectl_cluster.h"

#include <chrono>

#include "common/process.h"
#include "names/names.h"
#include "upgrade/cluster_lease.h"

namespace macula {

namespace {

// kubectl's drain waits this long for the node's pods to leave; the run gets a minute more
constexpr std::chrono::minutes kDrainTimeout{10};

// One kubectl run, kept whole: its refusal is read before it counts as a failure.
struct Kubectl {
  std::vector<std::string> argv;
  std::chrono::milliseconds timeout;
  CommandRun run;
  // kubectl's reason, as the API server named it: "Error from server (AlreadyExists): ..."
  bool refused_as(std::string_view reason) const {
    return !run.ok() && run.err.find("(" + std::string(reason) + ")") != std::string::npos;
  }
};

Result<Kubectl> kubectl(std::vector<std::string> args, const std::string& input = "",
                        std::chrono::milliseconds timeout = std::chrono::minutes(1)) {
  args.insert(args.begin(), {kK3sBinary, "kubectl", "--kubeconfig", kK3sAdminKubeconfig});
  RunOptions options;
  options.input = input;
  options.timeout = timeout;
  auto run = run_process(args, options);
  if (!run) return fail(run.error());
  return Kubectl{std::move(args), timeout, std::move(*run)};
}

// Any other end than success is run_command's error, with what was being done in front.
Result<void> must_succeed(const Result<Kubectl>& k, const std::string& what) {
  if (!k) return fail(what, k.error());
  if (auto out = command_output(k->argv, k->run, k->timeout); !out) return fail(what, out.error());
  return {};
}

}  // namespace

Result<std::optional<std::string>> KubectlCluster::get_lease(const std::string& name) {
  auto k = kubectl({"-n", std::string(kLeaseNamespace), "get", "lease", name, "-o", "json"});
  if (k && k->refused_as("NotFound")) return std::optional<std::string>();
  if (auto r = must_succeed(k, "get the Lease " + name); !r) return fail(r.error());
  return std::optional<std::string>(k->run.out);
}

Result<bool> KubectlCluster::create_lease(const std::string& manifest) {
  auto k = kubectl({"create", "-f", "-"}, manifest);
  if (k && k->refused_as("AlreadyExists")) return false;
  if (auto r = must_succeed(k, "create a Lease"); !r) return fail(r.error());
  return true;
}

Result<bool> KubectlCluster::replace_lease(const std::string& manifest) {
  auto k = kubectl({"replace", "-f", "-"}, manifest);
  // Conflict: another node's replace came first; NotFound: its holder gave it back meanwhile
  if (k && (k->refused_as("Conflict") || k->refused_as("NotFound"))) return false;
  if (auto r = must_succeed(k, "replace a Lease"); !r) return fail(r.error());
  return true;
}

Result<void> KubectlCluster::delete_lease(const std::string& name) {
  return must_succeed(kubectl({"-n", std::string(kLeaseNamespace), "delete", "lease", name, "--ignore-not-found"}),
                      "delete the Lease " + name);
}

Result<void> KubectlCluster::drain(const std::string& node) {
  const std::string timeout = "--timeout=" + std::to_string(std::chrono::seconds(kDrainTimeout).count()) + "s";
  return must_succeed(kubectl({"drain", node, "--ignore-daemonsets", "--delete-emptydir-data", timeout}, "",
                              kDrainTimeout + std::chrono::minutes(1)),
                      "drain " + node);
}

Result<void> KubectlCluster::uncordon(const std::string& node) {
  return must_succeed(kubectl({"uncordon", node}), "uncordon " + node);
}

}  // namespace macula
