#include "config/node_config.h"

#include <yaml.h>

#include <charconv>
#include <cstring>
#include <optional>

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
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    auto problem = [&](const yaml_mark_t& mark, const char* what) {
      return fail(std::string(source) + ": line " + std::to_string(mark.line + 1) + ", column " +
                  std::to_string(mark.column + 1) + ": " + what);
    };
    Result<void> r;
    if (yaml_parser_load(&parser, &doc_) != 1) {
      r = problem(parser.problem_mark, parser.problem ? parser.problem : "invalid YAML");
    } else {
      loaded_ = true;
      // libyaml loads one document and stops: whatever follows it (text appended after a
      // flow mapping, a second document) would be ignored without a word. Refuse it.
      yaml_document_t rest;
      if (yaml_parser_load(&parser, &rest) != 1) {
        r = problem(parser.problem_mark, parser.problem ? parser.problem : "invalid YAML");
      } else {
        if (yaml_node_t* extra = yaml_document_get_root_node(&rest))
          r = problem(extra->start_mark, "a second YAML document: expected one mapping");
        yaml_document_delete(&rest);
      }
    }
    yaml_parser_delete(&parser);
    if (!r) return r;
    yaml_node_t* root = yaml_document_get_root_node(&doc_);
    if (!root) {  // an empty file: start an empty mapping
      yaml_document_delete(&doc_);
      yaml_document_initialize(&doc_, nullptr, nullptr, nullptr, 1, 1);
      yaml_document_add_mapping(&doc_, nullptr, YAML_BLOCK_MAPPING_STYLE);
    } else if (root->type != YAML_MAPPING_NODE) {
      return problem(root->start_mark, "expected a mapping of keys (hostname:, ssh_authorized_keys:, maculaos: ...)");
    }
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

  // The scalar under `key` in `mapping`, if there is one.
  std::optional<std::string> scalar_at(int mapping, std::string_view key) {
    yaml_node_pair_t* p = find(mapping, key);
    if (!p) return std::nullopt;
    yaml_node_t* v = yaml_document_get_node(&doc_, p->value);
    if (v->type != YAML_SCALAR_NODE) return std::nullopt;
    return std::string(reinterpret_cast<char*>(v->data.scalar.value), v->data.scalar.length);
  }

  // The mapping under `key` in `mapping`, or 0 when there is none.
  int mapping_at(int mapping, std::string_view key) {
    yaml_node_pair_t* p = find(mapping, key);
    return p && yaml_document_get_node(&doc_, p->value)->type == YAML_MAPPING_NODE ? p->value : 0;
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

Result<std::string> merge_node_config(std::string_view yaml, std::string_view source,
                                      const ConfigFlags& flags) {
  YamlDocument doc;
  if (auto r = doc.load(yaml, source); !r) return fail(r.error());
  if (flags.hostname) doc.set(doc.root(), "hostname", doc.scalar(*flags.hostname));
  if (!flags.ssh_keys.empty()) {
    const int keys = doc.child(doc.root(), "ssh_authorized_keys", YAML_SEQUENCE_NODE);
    for (const std::string& key : flags.ssh_keys) doc.append(keys, key);
  }
  if (flags.password_hash) {
    const int os = doc.child(doc.root(), "maculaos", YAML_MAPPING_NODE);
    doc.set(os, "password", doc.scalar(*flags.password_hash));
  }
  return doc.dump();
}

Result<UpgradeSettings> upgrade_settings(std::string_view yaml, std::string_view source) {
  YamlDocument doc;
  if (auto r = doc.load(yaml, source); !r) return fail(r.error());
  UpgradeSettings settings;
  const int os = doc.mapping_at(doc.root(), "maculaos");
  const int upgrade = os ? doc.mapping_at(os, "upgrade") : 0;
  if (!upgrade) return settings;
  settings.url = doc.scalar_at(upgrade, "url").value_or("");
  settings.channel = doc.scalar_at(upgrade, "channel").value_or(settings.channel);
  while (settings.url.ends_with('/')) settings.url.pop_back();
  return settings;
}

Result<BootSettings> boot_settings(std::string_view yaml, std::string_view source) {
  YamlDocument doc;
  if (auto r = doc.load(yaml, source); !r) return fail(r.error());
  BootSettings settings;
  const int os = doc.mapping_at(doc.root(), "maculaos");
  const int boot = os ? doc.mapping_at(os, "boot") : 0;
  const auto watchdog = boot ? doc.scalar_at(boot, "watchdog") : std::nullopt;
  if (!watchdog) return settings;
  unsigned seconds = 0;
  auto [end, ec] = std::from_chars(watchdog->data(), watchdog->data() + watchdog->size(), seconds);
  if (ec != std::errc() || end != watchdog->data() + watchdog->size() || seconds > 3600)
    return fail(std::string(source) + ": maculaos.boot.watchdog '" + *watchdog +
                "': expected whole seconds from 0 (off) to 3600");
  settings.watchdog = std::chrono::seconds(seconds);
  return settings;
}

}  // namespace macula
