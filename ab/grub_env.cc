#include "ab/grub_env.h"

namespace macula {

namespace {

constexpr std::string_view kHeader = "# GRUB Environment Block\n";

}  // namespace

std::optional<std::string> lookup(const GrubEnv& env, std::string_view key) {
  std::optional<std::string> value;
  for (const auto& [k, v] : env)
    if (k == key) value = v;
  return value;
}

Result<GrubEnv> parse_grub_env(std::string_view block) {
  if (block.size() != kGrubEnvSize || !block.starts_with(kHeader))
    return fail("not a GRUB environment block (expected " + std::to_string(kGrubEnvSize) +
                " bytes starting with '# GRUB Environment Block')");
  GrubEnv env;
  size_t p = kHeader.size();
  const size_t end = block.size();
  auto next_line = [&](size_t at) {
    const size_t nl = block.find('\n', at);
    return nl == std::string_view::npos ? end : nl + 1;
  };
  while (p < end) {
    if (block[p] == '#') {
      p = next_line(p);
      continue;
    }
    const size_t eq = block.find('=', p);
    if (eq == std::string_view::npos) break;  // GRUB: broken, stop
    size_t q = eq + 1;
    while (q < end && block[q] != '\n') q += block[q] == '\\' ? 2 : 1;
    if (q >= end) break;  // GRUB: broken, stop
    std::string value;
    for (size_t i = eq + 1; i < q; ++i) {
      if (block[i] == '\\') ++i;
      value += block[i];
    }
    env.emplace_back(std::string(block.substr(p, eq - p)), std::move(value));
    p = next_line(q);
  }
  return env;
}

Result<std::string> format_grub_env(const GrubEnv& env) {
  std::string out(kHeader);
  for (const auto& [key, value] : env) {
    out += key + "=";
    for (char c : value) {
      if (c == '\\' || c == '\n') out += '\\';
      out += c;
    }
    out += '\n';
  }
  if (out.size() > kGrubEnvTextMax)
    return fail("GRUB environment block: " + std::to_string(out.size()) + " bytes of variables do not fit in " +
                std::to_string(kGrubEnvTextMax));
  out.resize(kGrubEnvSize, '#');
  return out;
}

}  // namespace macula
