#include "config/config_reference.h"

#include <catch2/catch.hpp>

#include "common/files.h"
#include "common/json_fields.h"

namespace macula {
namespace {

// The image's defaults, as the image installs them (rootfs/overlay).
ConfigNode image_defaults() {
  const std::string path = std::string(MACULA_SOURCE_DIR) + "/rootfs/overlay/usr/share/maculaos/config.yaml";
  auto text = read_file(path);
  REQUIRE(text);
  auto tree = parse_config(*text, path);
  REQUIRE(tree);
  return std::move(*tree);
}

std::vector<KeyReference> reference() {
  auto ref = config_reference(image_defaults());
  INFO((ref ? "" : ref.error().message));
  REQUIRE(ref);
  return std::move(*ref);
}

const KeyReference& at(const std::vector<KeyReference>& keys, std::string_view key) {
  auto it = std::ranges::find_if(keys, [&](const KeyReference& r) { return r.schema.key == key; });
  REQUIRE(it != keys.end());
  return *it;
}

std::size_t values_in(const ConfigNode& node) {
  if (!node.is_mapping()) return 1;
  std::size_t n = 0;
  for (const auto& [name, value] : node.pairs) n += values_in(value);
  return n;
}

TEST_CASE("every key of the schema has exactly one entry in the reference's table") {
  const std::vector<KeyReference> keys = reference();  // fails naming each key without an entry
  CHECK(keys.size() == schema_keys().size());
}

TEST_CASE("the schema lists each key with its shape, what it takes and its flags") {
  const std::vector<SchemaKey> keys = schema_keys();
  auto find = [&](std::string_view key) {
    auto it = std::ranges::find_if(keys, [&](const SchemaKey& k) { return k.key == key; });
    REQUIRE(it != keys.end());
    return *it;
  };
  CHECK(find("write_files").shape == SchemaKey::Shape::list_of);
  CHECK(find("write_files[].path").required);
  CHECK(find("write_files[].path").takes == "an absolute path of a file (/etc/...)");
  CHECK(find("maculaos.sysctl").shape == SchemaKey::Shape::map);
  CHECK(find("maculaos.sysctl").name_takes == "a sysctl name such as net.ipv4.ip_forward");
  CHECK(find("maculaos.firewall.enabled").flag);
  CHECK(find("maculaos.password").secret);
  CHECK(find("maculaos.token").takes == "a value");
  CHECK(find("maculaos.network.interfaces.NAME.dns").shape == SchemaKey::Shape::list);
  CHECK(find("k3s.args").takes.empty());  // any text
}

TEST_CASE("the defaults are the image's: every value its config.yaml sets, at its key") {
  const std::vector<KeyReference> keys = reference();
  std::size_t with_default = 0;
  for (const KeyReference& ref : keys) with_default += ref.image_default ? 1 : 0;
  CHECK(with_default == values_in(image_defaults()));
  CHECK(at(keys, "maculaos.mesh.realm").image_default == "io.macula");
  CHECK(at(keys, "k3s.args").image_default == "[--disable=traefik, --disable=servicelb]");
  CHECK_FALSE(at(keys, "hostname").image_default);
}

TEST_CASE("each key says what applies it and which sources may set it, the command line's spelling with them") {
  const std::vector<KeyReference> keys = reference();
  CHECK(at(keys, "init_cmd").applied_by == "init stage");
  CHECK(at(keys, "maculaos.upgrade.url").applied_by == "maculaos upgrade");
  CHECK(at(keys, "hostname").sources ==
        std::vector<std::string>{"image", "media", "config.yaml", "config.d", "NoCloud meta-data", "NoCloud user-data", "config_url"});
  CHECK(at(keys, "maculaos.live.persistence").sources == std::vector<std::string>{"image", "media", "cmdline"});
  CHECK(at(keys, "maculaos.sysctl").command_line == "maculaos.sysctl:NAME=VALUE");
  CHECK(at(keys, "maculaos.dns_nameservers").command_line == "maculaos.dns_nameservers=VALUE (repeated: one item each)");
  CHECK(at(keys, "write_files[].path").command_line.empty());
  CHECK(at(keys, "maculaos.mesh").sources.empty());  // a mapping: its keys say
}

TEST_CASE("the Markdown reference has a row per key, with its type and default") {
  const std::vector<KeyReference> keys = reference();
  const std::string md = reference_markdown(keys);
  CHECK_THAT(md, Catch::StartsWith("# Node config reference\n"));
  CHECK_THAT(md, Catch::Contains("| `maculaos.mesh.realm` | a reverse-DNS name such as io.macula | `io.macula` | boot stage |"));
  CHECK_THAT(md, Catch::Contains("| `maculaos.firewall.enabled` | true or false | `true` |"));
  std::size_t rows = 0;
  for (std::size_t pos = 0; (pos = md.find("\n| `", pos)) != std::string::npos; ++pos) ++rows;
  CHECK(rows == keys.size());
}

TEST_CASE("the JSON Schema parses, nests the keys and closes each mapping to unknown keys") {
  const std::string text = reference_json_schema(reference());
  auto doc = parse_json_object(text, "schema");
  INFO(text);
  REQUIRE(doc);
  json_object* root = doc->get();
  CHECK(std::string_view(field_string(root, "$schema")) == "http://json-schema.org/draft-07/schema#");
  auto path = [](json_object* o, std::initializer_list<const char*> names) {
    for (const char* name : names) {
      json_object* next = nullptr;
      if (!o || !json_object_object_get_ex(o, name, &next)) return static_cast<json_object*>(nullptr);
      o = next;
    }
    return o;
  };
  json_object* realm = path(root, {"properties", "maculaos", "properties", "mesh", "properties", "realm"});
  REQUIRE(realm);
  CHECK(std::string_view(field_string(realm, "default")) == "io.macula");
  json_object* closed = path(root, {"properties", "maculaos", "additionalProperties"});
  REQUIRE(closed);
  CHECK_FALSE(json_object_get_boolean(closed));
  json_object* item = path(root, {"properties", "write_files", "items", "required"});
  REQUIRE(item);
  CHECK(std::string_view(json_object_to_json_string(item)) == "[ \"path\" ]");
  CHECK(path(root, {"properties", "maculaos", "properties", "network", "properties", "interfaces", "additionalProperties", "properties", "dhcp"}));
  CHECK(std::string_view(field_string(path(root, {"properties", "k3os"}), "$ref")) == "#/properties/maculaos");
}

}  // namespace
}  // namespace macula
