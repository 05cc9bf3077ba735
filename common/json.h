// Writing JSON (boot.json, --json outputs). Output only: reading JSON is json-c's job.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace macula {

// The JSON string literal for s, quotes included (control characters escaped as \uXXXX).
std::string json_quote(std::string_view s);

// An object whose fields keep the order they were added in.
class JsonObject {
 public:
  JsonObject& add(std::string_view key, std::string_view value);
  JsonObject& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonObject& add(std::string_view key, std::int64_t value);
  JsonObject& add(std::string_view key, bool value);
  JsonObject& add(std::string_view key, const JsonObject& value);
  JsonObject& add(std::string_view key, std::span<const std::string> values);

  // Pretty-printed with two-space indents, as a file a person may read.
  std::string str(int indent = 0) const;

 private:
  JsonObject& raw(std::string_view key, std::string json);
  std::vector<std::pair<std::string, std::string>> fields_;  // key, JSON text of the value
};

}  // namespace macula
