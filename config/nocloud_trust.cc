#include "config/nocloud_trust.h"

#include <algorithm>

namespace macula {

namespace {

// config_schema.cc's data_source: cdrom is k3OS's name for the same seed
bool names_nocloud(std::string_view source) { return source == "nocloud" || source == "cdrom"; }

}  // namespace

bool sets_anything(std::string_view config_text) {
  if (config_text.find_first_not_of(" \t\r\n") == std::string_view::npos) return false;
  auto tree = parse_config(config_text, "config");
  return !tree || !tree->is_mapping() || !tree->pairs.empty();
}

std::optional<std::string> seeds_refused(const SeedFacts& facts) {
  if (facts.data_sources) {
    if (std::ranges::any_of(*facts.data_sources, names_nocloud)) return std::nullopt;
    return "maculaos.data_sources does not list nocloud";
  }
  if (!facts.installed || !facts.configured) return std::nullopt;
  return "the node is configured and maculaos.data_sources does not list nocloud";
}

std::optional<std::string> seed_type_refused(std::string_view type) {
  if (type == "iso9660" || type == "vfat") return std::nullopt;
  const std::string what = type.empty() ? "a file system of no known type" : "a " + std::string(type) + " file system";
  return what + ": expected iso9660 or vfat";
}

Result<std::string> seed_instance_id(std::string_view meta_data, std::string_view source) {
  auto tree = parse_config(meta_data, source);
  if (!tree) return fail(tree.error().message);
  auto id = config_text(*tree, "instance-id");
  if (!id || id->empty()) return fail(std::string(source) + ": no instance-id: expected one (cloud-init's NoCloud needs it)");
  return *id;
}

std::optional<std::vector<std::string>> data_sources(const ConfigNode& config) {
  if (!config_at(config, "maculaos.data_sources")) return std::nullopt;
  return config_texts(config, "maculaos.data_sources");
}

}  // namespace macula
