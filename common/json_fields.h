// Reading the JSON files MaculaOS writes and others may have changed (a release's
// manifest.json, a slot's slot.json) with json-c: the document, and typed fields that are
// absent when they have another type.
#pragma once

#include <json-c/json.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "common/result.h"

namespace macula {

using JsonPtr = std::unique_ptr<json_object, decltype(&json_object_put)>;

// The top-level object of text; an error names source and what was wrong.
Result<JsonPtr> parse_json_object(std::string_view text, std::string_view source);
// The same for a top level of another type (json_type_array: a list).
Result<JsonPtr> parse_json(std::string_view text, std::string_view source, json_type top);

// The field's string, or nullptr when it is absent or not a string.
const char* field_string(json_object* o, const char* key);
// The field's integer when it is one and not negative.
bool field_u64(json_object* o, const char* key, std::uint64_t& out);

bool is_sha256_hex(std::string_view s);  // 64 lower-case hex digits

}  // namespace macula
