#include "names/names_text.h"

#include <algorithm>

#include "names/names.h"

namespace macula {

namespace {

bool is_name_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

const ExportedName* exported(std::string_view shell_name) {
  const auto* it = std::ranges::find(kExportedNames, shell_name, &ExportedName::shell);
  return it == std::end(kExportedNames) ? nullptr : it;
}

}  // namespace

std::string names_shell_text() {
  std::string out =
      "# MaculaOS's names (names/names.h), for shell scripts: . " + std::string(kNamesShellPath) +
      "\n# Made at build by names_export: edit names/names.h, not this file.\n";
  // The values hold no quote: single quotes keep every other character as it is.
  for (const ExportedName& name : kExportedNames)
    out += std::string(name.shell) + "='" + std::string(name.value) + "'\n";
  return out;
}

Result<std::string> substitute_names(std::string_view text, std::string_view source) {
  constexpr std::string_view kPrefix = "@MACULA_";
  std::string out;
  size_t line = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t at = text.find(kPrefix, pos);
    const std::string_view before = text.substr(pos, at == std::string_view::npos ? std::string_view::npos : at - pos);
    out += before;
    line += std::ranges::count(before, '\n');
    if (at == std::string_view::npos) break;
    size_t end = at + 1;
    while (end < text.size() && is_name_char(text[end])) ++end;
    const std::string_view name = text.substr(at + 1, end - at - 1);
    if (end >= text.size() || text[end] != '@') {  // "@MACULA_" not closed: not a placeholder
      out += text.substr(at, end - at);
      pos = end;
      continue;
    }
    const ExportedName* value = exported(name);
    if (!value)
      return fail(std::string(source) + ":" + std::to_string(line) + ": @" + std::string(name) +
                  "@ is not in the names table (names/names.h)");
    out += value->value;
    pos = end + 1;
  }
  return out;
}

}  // namespace macula
