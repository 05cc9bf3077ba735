#include "config/k3s_config.h"

#include <string_view>

namespace macula {

namespace {

// Kubernetes' name for this machine's architecture (kubernetes.io/arch's values): the binary's
// own, which is the machine's (it is static, and runs nowhere else).
#if defined(__x86_64__)
constexpr const char* kKubeArch = "amd64";
#elif defined(__aarch64__)
constexpr const char* kKubeArch = "arm64";
#elif defined(__arm__)
constexpr const char* kKubeArch = "arm";
#else
#error "an architecture k3s is not released for"
#endif

ConfigNode scalar(std::string text) {
  ConfigNode node;
  node.kind = ConfigNode::Kind::scalar;
  node.text = std::move(text);
  return node;
}

// Sets key to value; a key set before becomes a list of both (k3s reads a repeated flag so).
void add(ConfigNode& out, const std::string& key, std::string value) {
  for (auto& [name, node] : out.pairs) {
    if (name != key) continue;
    if (!node.is_sequence()) {
      ConfigNode list;
      list.kind = ConfigNode::Kind::sequence;
      list.items.push_back(std::move(node));
      node = std::move(list);
    }
    node.items.push_back(scalar(std::move(value)));
    return;
  }
  out.pairs.emplace_back(key, scalar(std::move(value)));
}

void add_list(ConfigNode& out, const std::string& key, std::vector<std::string> values) {
  if (values.empty()) return;
  ConfigNode list;
  list.kind = ConfigNode::Kind::sequence;
  out.pairs.emplace_back(key, list);
  for (std::string& value : values) add(out, key, std::move(value));
}

}  // namespace

K3sConfig k3s_config(const ConfigNode& config) {
  K3sConfig result;
  ConfigNode out;
  const std::optional<std::string> server = config_text(config, "maculaos.server_url");
  for (auto [ours, theirs] : {std::pair{"maculaos.node_name", "node-name"}, {"maculaos.server_url", "server"}})
    if (auto value = config_text(config, ours)) add(out, theirs, *value);
  if (auto token = config_text(config, "maculaos.token"); token && !token->empty()) {
    result.token = *token;
    add(out, "token-file", kK3sTokenPath);
  }
  std::vector<std::string> labels;
  const ConfigNode* label_map = config_at(config, "maculaos.labels");
  if (label_map && label_map->is_mapping())
    for (const auto& [key, value] : label_map->pairs) labels.push_back(key + "=" + value.text);
  add_list(out, "node-label", std::move(labels));
  add_list(out, "node-taint", config_texts(config, "maculaos.taints"));

  std::vector<std::string> args = config_texts(config, "maculaos.k3s_args");
  for (std::string& arg : config_texts(config, "k3s.args")) args.push_back(std::move(arg));
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "server" || arg == "agent") {
      result.mode = arg;
    } else if (arg.starts_with("--") && arg.size() > 2) {
      const std::size_t eq = arg.find('=');
      if (eq != std::string_view::npos)
        add(out, std::string(arg.substr(2, eq - 2)), std::string(arg.substr(eq + 1)));
      else if (i + 1 < args.size() && !args[i + 1].starts_with("-"))
        add(out, std::string(arg.substr(2)), args[++i]);
      else
        add(out, std::string(arg.substr(2)), "true");
    } else {
      result.warnings.push_back("k3s args: '" + args[i] + "': expected --flag, --flag=value or server|agent; left out");
    }
  }
  if (result.mode.empty()) result.mode = server ? "agent" : "server";
  // The plan's labels, unless maculaos.labels sets them.
  auto labelled = [&](const std::string& key) {
    if (!label_map || !label_map->is_mapping()) return false;
    for (const auto& pair : label_map->pairs)
      if (pair.first == key) return true;
    return false;
  };
  for (auto [key, value] : {std::pair<std::string, std::string>{kRoleLabel, result.mode}, {kArchLabel, kKubeArch}})
    if (!labelled(key)) add(out, "node-label", key + "=" + value);
  result.yaml = config_yaml(out, false);  // never empty: the plan's labels are always there
  result.keys = std::move(out);
  return result;
}

std::vector<PortRule> k3s_ports(const K3sConfig& k3s) {
  // a flag given without a value is "true"; one given twice is a list, and k3s takes the last
  auto value = [&](std::string_view key) -> std::optional<std::string> {
    for (const auto& [name, node] : k3s.keys.pairs)
      if (name == key) return node.is_sequence() ? (node.items.empty() ? "" : node.items.back().text) : node.text;
    return std::nullopt;
  };
  std::vector<PortRule> ports = {{"10250", "tcp"}};
  const std::string backend = value("flannel-backend").value_or("vxlan");
  if (backend == "vxlan") ports.push_back({"8472", "udp"});
  if (backend == "wireguard-native") ports.push_back({"51820-51821", "udp"});
  if (k3s.mode != "server") return ports;
  ports.push_back({"6443", "tcp"});
  const std::optional<std::string> cluster_init = value("cluster-init");
  if ((cluster_init && *cluster_init != "false") || value("server")) ports.push_back({"2379-2380", "tcp"});
  return ports;
}

}  // namespace macula
