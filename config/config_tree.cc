#include "config/config_tree.h"

#include <algorithm>
#include <cctype>

#include "common/json.h"
#include "config/yaml_load.h"

namespace macula {

namespace {

// No real config has this many values or this much text. The tree is built by expanding
// aliases, so a small document can stand for a huge one: aliases of aliases (the "billion
// laughs") pass any node count a few hundred bytes in, and one long value aliased a thousand
// times stays under it. Both are bounded: PID 1 parses seeds too.
constexpr std::size_t kMaxNodes = 100000;
constexpr std::size_t kMaxTextBytes = 8u << 20;  // keys and values, counted at each place

std::string mark_text(std::string_view source, const yaml_mark_t& mark) {
  return std::string(source) + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string_view scalar_of(const yaml_node_t* node) {
  return {reinterpret_cast<const char*>(node->data.scalar.value), node->data.scalar.length};
}

class TreeBuilder {
 public:
  TreeBuilder(yaml_document_t* doc, std::string_view source) : doc_(doc), source_(source) {}

  Result<ConfigNode> build(int id, int depth = 0) {
    yaml_node_t* node = yaml_document_get_node(doc_, id);
    if (++count_ > kMaxNodes || depth > 64)
      return fail(mark_text(source_, node->start_mark) + ": the document expands past " +
                  std::to_string(kMaxNodes) + " values or 64 levels: expected a config");
    if (node->type == YAML_SCALAR_NODE && !take_text(node->data.scalar.length))
      return too_much_text(node);
    ConfigNode out;
    out.mark = {std::string(source_), static_cast<int>(node->start_mark.line) + 1,
                static_cast<int>(node->start_mark.column) + 1};
    switch (node->type) {
      case YAML_SCALAR_NODE:
        out.kind = ConfigNode::Kind::scalar;
        out.text = scalar_of(node);
        break;
      case YAML_SEQUENCE_NODE:
        out.kind = ConfigNode::Kind::sequence;
        for (yaml_node_item_t* i = node->data.sequence.items.start; i < node->data.sequence.items.top; ++i) {
          auto item = build(*i, depth + 1);
          if (!item) return item;
          out.items.push_back(std::move(*item));
        }
        break;
      case YAML_MAPPING_NODE:
        out.kind = ConfigNode::Kind::mapping;
        for (yaml_node_pair_t* p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; ++p) {
          yaml_node_t* key = yaml_document_get_node(doc_, p->key);
          if (key->type != YAML_SCALAR_NODE)
            return fail(mark_text(source_, key->start_mark) + ": a key that is not a plain word: expected a name");
          if (!take_text(key->data.scalar.length)) return too_much_text(key);
          auto value = build(p->value, depth + 1);
          if (!value) return value;
          const std::string name(scalar_of(key));
          // YAML forbids a key twice in one mapping; libyaml does not check. The last wins,
          // as in k3OS (Go's yaml.v2 rejects it; a person who repeats a key means the last).
          std::erase_if(out.pairs, [&](const auto& pair) { return pair.first == name; });
          out.pairs.emplace_back(name, std::move(*value));
        }
        break;
      default:
        return fail(mark_text(source_, node->start_mark) + ": an empty node: expected a value");
    }
    return out;
  }

 private:
  bool take_text(std::size_t bytes) {
    text_bytes_ += bytes;
    return text_bytes_ <= kMaxTextBytes;
  }

  Result<ConfigNode> too_much_text(const yaml_node_t* node) const {
    return fail(mark_text(source_, node->start_mark) + ": the document expands past " +
                std::to_string(kMaxTextBytes >> 20) + " MiB of text: expected a config");
  }

  yaml_document_t* doc_;
  std::string_view source_;
  std::size_t count_ = 0;
  std::size_t text_bytes_ = 0;
};

ConfigNode mapping_at(const ConfigMark& mark) {
  ConfigNode node;
  node.mark = mark;
  return node;
}

// The node under `key` of a mapping, created as an empty mapping when absent.
ConfigNode& child(ConfigNode& mapping, std::string_view key, const ConfigMark& mark) {
  for (auto& [name, value] : mapping.pairs)
    if (name == key) return value;
  mapping.pairs.emplace_back(std::string(key), mapping_at(mark));
  return mapping.pairs.back().second;
}

bool plain_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/')) return false;
  return true;
}

void yaml_lines(const ConfigNode& node, int indent, bool with_sources, std::string& out);

void yaml_value(const ConfigNode& node, int indent, bool with_sources, std::string& out) {
  if (node.is_scalar()) {
    out += " " + json_quote(node.text);
    if (with_sources) out += "  # " + node.mark.str();
    out += "\n";
  } else if ((node.is_mapping() && node.pairs.empty()) || (node.is_sequence() && node.items.empty())) {
    out += node.is_mapping() ? " {}\n" : " []\n";
  } else {
    out += "\n";
    yaml_lines(node, indent + 2, with_sources, out);
  }
}

void yaml_lines(const ConfigNode& node, int indent, bool with_sources, std::string& out) {
  const std::string pad(indent, ' ');
  if (node.is_mapping()) {
    for (const auto& [key, value] : node.pairs) {
      out += pad + (plain_key(key) ? key : json_quote(key)) + ":";
      yaml_value(value, indent, with_sources, out);
    }
  } else {
    for (const ConfigNode& item : node.items) {
      out += pad + "-";
      yaml_value(item, indent, with_sources, out);
    }
  }
}

std::string json_value(const ConfigNode& node, int indent) {
  if (node.is_scalar()) return json_quote(node.text);
  const std::string pad(indent + 2, ' ');
  std::string out;
  if (node.is_mapping()) {
    for (const auto& [key, value] : node.pairs)
      out += (out.empty() ? "" : ",\n") + pad + json_quote(key) + ": " + json_value(value, indent + 2);
  } else {
    for (const ConfigNode& item : node.items) out += (out.empty() ? "" : ",\n") + pad + json_value(item, indent + 2);
  }
  const char* brackets = node.is_mapping() ? "{}" : "[]";
  if (out.empty()) return std::string(brackets, 2);
  return std::string(1, brackets[0]) + "\n" + out + "\n" + std::string(indent, ' ') + brackets[1];
}

void json_sources(const ConfigNode& node, const std::string& path, std::string& out) {
  if (node.is_mapping() && !node.pairs.empty()) {
    for (const auto& [key, value] : node.pairs) json_sources(value, path.empty() ? key : path + "." + key, out);
    return;
  }
  out += (out.empty() ? "" : ",\n") + std::string("    ") + json_quote(path) + ": " + json_quote(node.mark.str());
}

}  // namespace

std::string ConfigMark::str() const {
  return line > 0 ? source + ":" + std::to_string(line) + ":" + std::to_string(column) : source;
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
  if (!is_mapping()) return nullptr;
  for (const auto& [name, value] : pairs)
    if (name == key) return &value;
  return nullptr;
}

Result<void> load_yaml_mapping(std::string_view text, std::string_view source, yaml_document_t* doc) {
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  auto problem = [&](const yaml_mark_t& mark, const char* what) { return fail(mark_text(source, mark) + ": " + what); };
  Result<void> r;
  if (yaml_parser_load(&parser, doc) != 1) {
    r = problem(parser.problem_mark, parser.problem ? parser.problem : "invalid YAML");
    yaml_parser_delete(&parser);
    return r;
  }
  // libyaml loads one document and stops: whatever follows it (text appended after a flow
  // mapping, a second document) would be ignored without a word. Refuse it.
  yaml_document_t rest;
  if (yaml_parser_load(&parser, &rest) != 1) {
    r = problem(parser.problem_mark, parser.problem ? parser.problem : "invalid YAML");
  } else {
    if (yaml_node_t* extra = yaml_document_get_root_node(&rest))
      r = problem(extra->start_mark, "a second YAML document: expected one mapping");
    yaml_document_delete(&rest);
  }
  yaml_parser_delete(&parser);
  yaml_node_t* root = r ? yaml_document_get_root_node(doc) : nullptr;
  if (r && !root) {  // an empty text: an empty mapping
    yaml_document_delete(doc);
    yaml_document_initialize(doc, nullptr, nullptr, nullptr, 1, 1);
    yaml_document_add_mapping(doc, nullptr, YAML_BLOCK_MAPPING_STYLE);
  } else if (r && root->type != YAML_MAPPING_NODE) {
    r = problem(root->start_mark, "expected a mapping of keys (hostname:, ssh_authorized_keys:, maculaos: ...)");
  }
  if (!r) yaml_document_delete(doc);
  return r;
}

Result<ConfigNode> parse_config(std::string_view yaml, std::string_view source) {
  yaml_document_t doc;
  if (auto r = load_yaml_mapping(yaml, source, &doc); !r) return fail(r.error());
  auto tree = TreeBuilder(&doc, source).build(1);  // libyaml numbers nodes from 1: the root
  yaml_document_delete(&doc);
  return tree;
}

void merge_config(ConfigNode& into, const ConfigNode& later) {
  if (!into.is_mapping() || !later.is_mapping()) {
    into = later;
    return;
  }
  for (const auto& [key, value] : later.pairs) {
    auto it = std::find_if(into.pairs.begin(), into.pairs.end(), [&](const auto& p) { return p.first == key; });
    if (it == into.pairs.end())
      into.pairs.emplace_back(key, value);
    else
      merge_config(it->second, value);
  }
}

namespace {

// The names of `maculaos.A.B.C` (the first is maculaos), and of `maculaos.A.B:C.D`: after a
// colon, the rest is one name, dots and all (a sysctl, a label).
std::vector<std::string_view> cmdline_key_names(std::string_view key) {
  std::vector<std::string_view> names;
  const std::size_t colon = key.find(':');
  std::string_view dotted = key.substr(0, colon);
  for (std::size_t dot; (dot = dotted.find('.')) != std::string_view::npos; dotted.remove_prefix(dot + 1))
    names.push_back(dotted.substr(0, dot));
  names.push_back(dotted);
  if (colon != std::string_view::npos) names.push_back(key.substr(colon + 1));
  return names;
}

}  // namespace

ConfigNode cmdline_config(std::span<const CmdlineParam> params) {
  const ConfigMark mark{"kernel command line"};
  ConfigNode root = mapping_at(mark);
  for (const CmdlineParam& param : params) {
    if (!param.key.starts_with("maculaos.") || param.key.size() == std::string_view("maculaos.").size()) continue;
    const std::vector<std::string_view> names = cmdline_key_names(param.key);
    ConfigNode* node = &root;
    for (std::size_t i = 0; i + 1 < names.size(); ++i) {
      node = &child(*node, names[i], mark);
      if (!node->is_mapping()) *node = mapping_at(mark);  // `a=1 a.b=2`: the deeper key wins
    }
    const std::string_view name = names.back();
    ConfigNode value = mapping_at(mark);
    value.kind = ConfigNode::Kind::scalar;
    value.text = param.value.value_or("true");
    auto same = std::find_if(node->pairs.begin(), node->pairs.end(), [&](const auto& p) { return p.first == name; });
    ConfigNode* existing = same == node->pairs.end() ? nullptr : &same->second;
    if (!existing) {
      node->pairs.emplace_back(std::string(name), std::move(value));
    } else if (existing->is_sequence()) {
      existing->items.push_back(std::move(value));
    } else {  // the second time: a list of both
      ConfigNode list = mapping_at(mark);
      list.kind = ConfigNode::Kind::sequence;
      list.items = {std::move(*existing), std::move(value)};
      *existing = std::move(list);
    }
  }
  return root;
}

const ConfigNode* config_at(const ConfigNode& root, std::string_view dotted_key) {
  const ConfigNode* node = &root;
  while (node) {
    const std::size_t dot = dotted_key.find('.');
    node = node->find(dotted_key.substr(0, dot));
    if (dot == std::string_view::npos) return node;
    dotted_key.remove_prefix(dot + 1);
  }
  return nullptr;
}

std::optional<std::string> config_text(const ConfigNode& root, std::string_view dotted_key) {
  const ConfigNode* node = config_at(root, dotted_key);
  if (!node || !node->is_scalar()) return std::nullopt;
  return node->text;
}

std::vector<std::string> config_texts(const ConfigNode& root, std::string_view dotted_key) {
  std::vector<std::string> out;
  if (const ConfigNode* list = config_at(root, dotted_key); list && list->is_sequence())
    for (const ConfigNode& item : list->items) out.push_back(item.text);
  return out;
}

std::string config_yaml(const ConfigNode& root, bool with_sources) {
  std::string out;
  yaml_lines(root, 0, with_sources, out);
  return out;
}

std::string config_json(const ConfigNode& root, bool with_sources) {
  if (!with_sources) return json_value(root, 0) + "\n";
  std::string sources;
  json_sources(root, "", sources);
  return "{\n  \"config\": " + json_value(root, 2) + ",\n  \"sources\": {\n" + sources + "\n  }\n}\n";
}

}  // namespace macula
