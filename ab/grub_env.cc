#include "ab/grub_env.h"

namespace macula {

namespace {

constexpr std::string_view kHeader = "# GRUB Environment Block\n";

}  // namespace

std::optional<std::string> lookup(const GrubEnv& env, std::string_view key) {
  for (const auto& [k, v] : env)
    if (k == key) return v;
  return std::nullopt;
}

Result<GrubEnv> parse_grub_env(std::string_view block) {
  if (block.size() != kGrubEnvSize || !block.starts_with(kHeader))
    return fail("not a GRUB environment block (expected " + std::to_string(kGrubEnvSize) +
                " bytes starting with '# GRUB Environment Block')");
  GrubEnv env;
  std::string_view rest = block.substr(kHeader.size());
  while (!rest.empty() && rest.front() != '#') {
    const size_t eol = rest.find('\n');
    if (eol == std::string_view::npos) return fail("GRUB environment block: unterminated line");
    const std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return fail("GRUB environment block: malformed line '" + std::string(line) + "'");
    std::string value;
    for (size_t i = eq + 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        ++i;
        value += line[i] == 'n' ? '\n' : line[i];
      } else {
        value += line[i];
      }
    }
    env.emplace_back(std::string(line.substr(0, eq)), std::move(value));
  }
  return env;
}

Result<std::string> format_grub_env(const GrubEnv& env) {
  std::string out(kHeader);
  for (const auto& [key, value] : env) {
    out += key + "=";
    for (char c : value) {
      if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    out += '\n';
  }
  if (out.size() > kGrubEnvSize)
    return fail("GRUB environment block: " + std::to_string(out.size()) + " bytes of variables do not fit in " +
                std::to_string(kGrubEnvSize));
  out.resize(kGrubEnvSize, '#');
  return out;
}

}  // namespace macula
