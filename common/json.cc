#include "common/json.h"

#include <cstdio>

namespace macula {

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

JsonObject& JsonObject::raw(std::string_view key, std::string json) {
  fields_.emplace_back(std::string(key), std::move(json));
  return *this;
}

JsonObject& JsonObject::add(std::string_view key, std::string_view value) {
  return raw(key, json_quote(value));
}
JsonObject& JsonObject::add(std::string_view key, std::int64_t value) {
  return raw(key, std::to_string(value));
}
JsonObject& JsonObject::add(std::string_view key, bool value) {
  return raw(key, value ? "true" : "false");
}

// Nested values are stored unindented and re-indented when printed: str(indent) below.
JsonObject& JsonObject::add(std::string_view key, const JsonObject& value) {
  return raw(key, value.str(0));
}

JsonObject& JsonObject::add(std::string_view key, std::span<const std::string> values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + json_quote(values[i]);
  return raw(key, out + "]");
}

std::string JsonObject::str(int indent) const {
  if (fields_.empty()) return "{}";
  const std::string pad(static_cast<size_t>(indent) + 2, ' ');
  std::string out = "{\n";
  for (size_t i = 0; i < fields_.size(); ++i) {
    std::string value = fields_[i].second;
    // Re-indent a nested object's lines by this level.
    for (size_t at = value.find('\n'); at != std::string::npos; at = value.find('\n', at + 1))
      value.insert(at + 1, pad);
    out += pad + json_quote(fields_[i].first) + ": " + value + (i + 1 < fields_.size() ? ",\n" : "\n");
  }
  return out + std::string(static_cast<size_t>(indent), ' ') + "}";
}

}  // namespace macula
