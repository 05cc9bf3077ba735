#include "config/config_normalize.h"

#include <algorithm>
#include <iterator>
#include <map>

namespace macula {

namespace {

void k3os_as_maculaos(ConfigNode& root, std::vector<ConfigIssue>& issues) {
  auto named = [&](std::string_view name) {
    return std::ranges::find_if(root.pairs, [&](const auto& p) { return p.first == name; });
  };
  auto k3os = named("k3os");
  if (k3os == root.pairs.end() || !k3os->second.is_mapping()) return;  // the schema names what is wrong
  ConfigNode merged = std::move(k3os->second);
  const ConfigMark mark = merged.mark;
  root.pairs.erase(k3os);
  std::string message = "read as maculaos: (k3OS's name for it)";
  if (auto maculaos = named("maculaos"); maculaos != root.pairs.end()) {
    message += "; where both set a key, maculaos: wins";
    merge_config(merged, maculaos->second);
    maculaos->second = std::move(merged);
  } else {
    root.pairs.emplace_back("maculaos", std::move(merged));
  }
  issues.push_back({ConfigIssue::Severity::warning, mark, "k3os", message});
}

using Schema = std::map<std::string, SchemaKey::Shape, std::less<>>;

// Walks the tree beside the schema: `at` is the schema key of node's fields' parent ("" at the top).
void scalars_as_lists(ConfigNode& node, const std::string& at, const Schema& schema) {
  for (auto& [name, value] : node.pairs) {
    const std::string key = at + name;
    const auto known = schema.find(key);
    if (known == schema.end()) continue;
    switch (known->second) {
      case SchemaKey::Shape::list:
        if (value.is_scalar()) value = ConfigNode{ConfigNode::Kind::sequence, "", {value}, {}, value.mark};
        break;
      case SchemaKey::Shape::mapping:
        if (value.is_mapping()) scalars_as_lists(value, key + ".", schema);
        break;
      case SchemaKey::Shape::list_of:
        if (value.is_sequence())
          for (ConfigNode& item : value.items)
            if (item.is_mapping()) scalars_as_lists(item, key + "[].", schema);
        break;
      case SchemaKey::Shape::map_of:
        if (value.is_mapping())
          for (auto& entry : value.pairs)
            if (entry.second.is_mapping()) scalars_as_lists(entry.second, key + ".NAME.", schema);
        break;
      case SchemaKey::Shape::value:
      case SchemaKey::Shape::map:
        break;
    }
  }
}

}  // namespace

std::vector<ConfigIssue> normalize_config(ConfigNode& root) {
  std::vector<ConfigIssue> issues;
  if (!root.is_mapping()) return issues;
  k3os_as_maculaos(root, issues);
  static const Schema schema = [] {
    Schema shapes;
    for (const SchemaKey& key : schema_keys()) shapes.emplace(key.key, key.shape);
    return shapes;
  }();
  scalars_as_lists(root, "", schema);
  return issues;
}

std::vector<ConfigIssue> normalize_and_validate(ConfigNode& root) {
  std::vector<ConfigIssue> issues = normalize_config(root);
  std::ranges::move(validate_config(root), std::back_inserter(issues));
  return issues;
}

}  // namespace macula
