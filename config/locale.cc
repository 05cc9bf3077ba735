#include "config/locale.h"

#include <algorithm>
#include <cctype>

#include "common/text_lines.h"

namespace macula {

namespace {

// glibc's normalized codeset: lower case, without - or _ (UTF-8 -> utf8).
std::string normalized(std::string_view name) {
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos) return std::string(name);
  const std::size_t at = name.find('@', dot);
  std::string out(name.substr(0, dot + 1));
  for (char c : name.substr(dot + 1, at == std::string_view::npos ? std::string_view::npos : at - dot - 1))
    if (c != '-' && c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (at != std::string_view::npos) out += name.substr(at);
  return out;
}

}  // namespace

bool builtin_locale(std::string_view name) { return name == "C" || name == "POSIX" || name == "C.UTF-8"; }

std::optional<std::vector<std::string>> locale_build_command(std::string_view supported, std::string_view name) {
  for (const std::string_view line : text_lines(supported)) {
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || line.substr(0, space) != name) continue;
    const std::string_view charmap = line.substr(space + 1);
    // the source locale: the name without its .codeset, with its @modifier (ca_ES@valencia)
    const std::size_t dot = name.find('.'), mod = name.find('@');
    std::string input(name.substr(0, std::min(dot, mod)));
    if (mod != std::string_view::npos) input += name.substr(mod);
    return std::vector<std::string>{"localedef", "-i", input, "-f", std::string(charmap), std::string(name)};
  }
  return std::nullopt;
}

bool locale_listed(std::string_view locale_a_output, std::string_view name) {
  const std::string want = normalized(name);
  const std::vector<std::string_view> lines = text_lines(locale_a_output);
  return std::ranges::find(lines, want) != lines.end();
}

}  // namespace macula
