#include "ab/slot_manifest.h"

#include "ab/slot_content.h"
#include "common/json.h"
#include "common/json_fields.h"

namespace macula {

std::string slot_manifest_json(const std::string& version, std::span<const CopiedFile> files) {
  JsonObject listed;
  for (const CopiedFile& f : files) {
    JsonObject entry;
    entry.add("size", static_cast<std::int64_t>(f.size)).add("sha256", f.sha256);
    listed.add(f.name, entry);
  }
  JsonObject manifest;
  manifest.add("version", version).add("files", listed);
  return manifest.str() + "\n";
}

Result<SlotManifest> parse_slot_manifest(std::string_view text, std::string_view source) {
  const std::string src(source);
  auto root = parse_json_object(text, source);
  if (!root) return fail(root.error());
  SlotManifest manifest;
  const char* version = field_string(root->get(), "version");
  if (!version || !*version) return fail(src + ": missing \"version\"");
  manifest.version = version;
  json_object* files = nullptr;
  if (!json_object_object_get_ex(root->get(), "files", &files) || !json_object_is_type(files, json_type_object))
    return fail(src + ": missing \"files\" (an object)");
  for (std::string_view name : kSlotFileNames) {
    const std::string what = src + ": files." + std::string(name);
    json_object* entry = nullptr;
    if (!json_object_object_get_ex(files, std::string(name).c_str(), &entry) || !json_object_is_type(entry, json_type_object))
      return fail(what + ": missing (every slot file is listed)");
    CopiedFile file;
    file.name = std::string(name);
    if (!field_u64(entry, "size", file.size)) return fail(what + ": missing or negative \"size\"");
    const char* sha = field_string(entry, "sha256");
    if (!sha || !is_sha256_hex(sha)) return fail(what + ": \"sha256\" must be 64 lower-case hex digits");
    file.sha256 = sha;
    manifest.files.push_back(std::move(file));
  }
  return manifest;
}

std::optional<std::uint64_t> listed_size(const SlotManifest& manifest, std::string_view name) {
  for (const CopiedFile& f : manifest.files)
    if (f.name == name) return f.size;
  return std::nullopt;
}

}  // namespace macula
