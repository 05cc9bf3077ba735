#include "common/json_fields.h"

#include <algorithm>
#include <string>

namespace macula {

Result<JsonPtr> parse_json_object(std::string_view text, std::string_view source) {
  return parse_json(text, source, json_type_object);
}

Result<JsonPtr> parse_json(std::string_view text, std::string_view source, json_type top) {
  const std::string src(source);
  json_tokener* tok = json_tokener_new();
  if (!tok) return fail(src + ": out of memory");
  JsonPtr root(json_tokener_parse_ex(tok, text.data(), static_cast<int>(text.size())), &json_object_put);
  const json_tokener_error err = json_tokener_get_error(tok);
  json_tokener_free(tok);
  if (!root || err != json_tokener_success) return fail(src + ": not valid JSON (" + json_tokener_error_desc(err) + ")");
  if (!json_object_is_type(root.get(), top))
    return fail(src + ": expected a JSON " + (top == json_type_array ? "list" : "object"));
  return root;
}

const char* field_string(json_object* o, const char* key) {
  json_object* v = nullptr;
  if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) return nullptr;
  return json_object_get_string(v);
}

bool field_u64(json_object* o, const char* key, std::uint64_t& out) {
  json_object* v = nullptr;
  if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int)) return false;
  const std::int64_t n = json_object_get_int64(v);
  if (n < 0) return false;
  out = static_cast<std::uint64_t>(n);
  return true;
}

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace macula
