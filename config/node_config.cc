#include "config/node_config.h"

#include <charconv>

#include <yaml.h>

#include <algorithm>
#include <optional>
#include <string>

#include "config/config_normalize.h"
#include "config/yaml_load.h"

namespace macula {

namespace {

// Owns a loaded libyaml document until it is dumped (yaml_emitter_dump frees it).
class YamlDocument {
 public:
  YamlDocument() = default;
  YamlDocument(const YamlDocument&) = delete;
  YamlDocument& operator=(const YamlDocument&) = delete;
  ~YamlDocument() {
    if (loaded_) yaml_document_delete(&doc_);
  }

  Result<void> load(std::string_view text, std::string_view source) {
    if (auto r = load_yaml_mapping(text, source, &doc_); !r) return r;
    loaded_ = true;
    return {};
  }

  int root() { return 1; }  // libyaml numbers nodes from 1; the root is the first

  int scalar(std::string_view value) {
    return yaml_document_add_scalar(&doc_, nullptr, reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), YAML_ANY_SCALAR_STYLE);
  }

  // The pair of `mapping` whose key is `key`, or null.
  yaml_node_pair_t* find(int mapping, std::string_view key) {
    yaml_node_t* m = yaml_document_get_node(&doc_, mapping);
    for (yaml_node_pair_t* p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; ++p) {
      yaml_node_t* k = yaml_document_get_node(&doc_, p->key);
      if (k->type == YAML_SCALAR_NODE && std::string_view(reinterpret_cast<char*>(k->data.scalar.value),
                                                          k->data.scalar.length) == key)
        return p;
    }
    return nullptr;
  }

  void set(int mapping, std::string_view key, int value) {
    if (yaml_node_pair_t* p = find(mapping, key)) {
      p->value = value;
    } else {
      const int k = scalar(key);
      yaml_document_append_mapping_pair(&doc_, mapping, k, value);
    }
  }

  // The child node of type `type` under `key`, created (or replacing a value of another type).
  int child(int mapping, std::string_view key, yaml_node_type_t type) {
    if (yaml_node_pair_t* p = find(mapping, key))
      if (yaml_document_get_node(&doc_, p->value)->type == type) return p->value;
    const int node = type == YAML_MAPPING_NODE
                         ? yaml_document_add_mapping(&doc_, nullptr, YAML_BLOCK_MAPPING_STYLE)
                         : yaml_document_add_sequence(&doc_, nullptr, YAML_BLOCK_SEQUENCE_STYLE);
    set(mapping, key, node);
    return node;
  }

  void append(int sequence, std::string_view value) {
    const int v = scalar(value);
    yaml_document_append_sequence_item(&doc_, sequence, v);
  }

  Result<std::string> dump() {
    yaml_emitter_t emitter;
    yaml_emitter_initialize(&emitter);
    std::string out;
    yaml_emitter_set_output(
        &emitter,
        [](void* data, unsigned char* buffer, size_t size) {
          static_cast<std::string*>(data)->append(reinterpret_cast<char*>(buffer), size);
          return 1;
        },
        &out);
    yaml_emitter_set_unicode(&emitter, 1);
    bool ok = yaml_emitter_open(&emitter) && yaml_emitter_dump(&emitter, &doc_) &&
              yaml_emitter_close(&emitter);
    loaded_ = false;  // dumped (and freed) by the emitter, even on failure
    const std::string why = emitter.problem ? emitter.problem : "cannot write YAML";
    yaml_emitter_delete(&emitter);
    if (!ok) return fail("config: " + why);
    return out;
  }

 private:
  yaml_document_t doc_{};
  bool loaded_ = false;
};

}  // namespace

namespace {

// The schema's verdict on one text: its first error (and how many more), or nothing.
Result<void> check_schema(std::string_view yaml, std::string_view source) {
  auto tree = parse_config(yaml, source);
  if (!tree) return fail(tree.error());
  std::vector<ConfigIssue> issues = normalize_and_validate(*tree);
  std::erase_if(issues, [](const ConfigIssue& i) { return i.severity != ConfigIssue::Severity::error; });
  if (issues.empty()) return {};
  std::string more = issues.size() > 1 ? " (and " + std::to_string(issues.size() - 1) + " more)" : "";
  return fail(issues.front().str() + more);
}

}  // namespace

void ConfigFlags::set(std::string dotted_key, std::string value) {
  std::erase_if(values, [&](const auto& kv) { return kv.first == dotted_key; });
  values.emplace_back(std::move(dotted_key), std::move(value));
}

bool ConfigFlags::has(std::string_view dotted_key) const {
  return std::ranges::any_of(values, [&](const auto& kv) { return kv.first == dotted_key; });
}

Result<std::string> merge_node_config(std::string_view yaml, std::string_view source,
                                      const ConfigFlags& flags) {
  if (auto r = check_schema(yaml, source); !r) return fail(r.error());
  YamlDocument doc;
  if (auto r = doc.load(yaml, source); !r) return fail(r.error());
  for (const auto& [dotted, value] : flags.values) {
    int parent = doc.root();
    std::string_view key = dotted;
    for (std::size_t dot; (dot = key.find('.')) != std::string_view::npos; key.remove_prefix(dot + 1))
      parent = doc.child(parent, std::string(key.substr(0, dot)), YAML_MAPPING_NODE);
    doc.set(parent, std::string(key), doc.scalar(value));
  }
  if (!flags.ssh_keys.empty()) {
    const int keys = doc.child(doc.root(), "ssh_authorized_keys", YAML_SEQUENCE_NODE);
    for (const std::string& key : flags.ssh_keys) doc.append(keys, key);
  }
  auto merged = doc.dump();
  if (!merged) return merged;
  if (auto r = check_schema(*merged, "the installer's options"); !r) return fail(r.error());
  return merged;
}

UpgradeSettings upgrade_settings(const ConfigNode& config) {
  UpgradeSettings settings;
  settings.url = config_text(config, "maculaos.upgrade.url").value_or("");
  settings.channel = config_text(config, "maculaos.upgrade.channel").value_or(settings.channel);
  if (auto on = config_text(config, "maculaos.upgrade.auto_check")) settings.auto_check = parse_boolean(*on).value_or(true);
  if (auto on = config_text(config, "maculaos.upgrade.auto_apply")) settings.auto_apply = parse_boolean(*on).value_or(false);
  settings.maintenance_window = config_text(config, "maculaos.upgrade.maintenance_window").value_or("");
  const std::string count = config_text(config, "maculaos.upgrade.max_unavailable").value_or("1");
  if (auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), settings.max_unavailable);
      ec != std::errc() || settings.max_unavailable < 1)
    settings.max_unavailable = 1;
  while (settings.url.ends_with('/')) settings.url.pop_back();
  return settings;
}

BootSettings boot_settings(const ConfigNode& config) {
  BootSettings settings;
  const std::string text = config_text(config, "maculaos.boot.watchdog").value_or("");
  unsigned seconds = 0;
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
      !text.empty() && ec == std::errc() && end == text.data() + text.size())
    settings.watchdog = std::chrono::seconds(seconds);
  return settings;
}

LiveSettings live_settings(const ConfigNode& config) {
  LiveSettings settings;
  settings.persistence = parse_boolean(config_text(config, "maculaos.live.persistence").value_or("")).value_or(false);
  settings.persistence_device = config_text(config, "maculaos.live.persistence_device").value_or("");
  settings.persistence_size = config_text(config, "maculaos.live.persistence_size").value_or("");
  return settings;
}

}  // namespace macula
