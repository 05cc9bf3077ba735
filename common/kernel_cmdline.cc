#include "common/kernel_cmdline.h"

#include "common/files.h"

namespace macula {

std::vector<std::string> split_cmdline(std::string_view cmdline) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, in_word = false;
  for (char ch : cmdline) {
    if (ch == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (!quoted && (ch == ' ' || ch == '\t' || ch == '\n')) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += ch;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::vector<CmdlineParam> parse_cmdline_params(std::string_view cmdline) {
  std::vector<CmdlineParam> params;
  for (std::string& word : split_cmdline(cmdline)) {
    const size_t eq = word.find('=');
    if (eq == std::string::npos) params.push_back({std::move(word), std::nullopt});
    else params.push_back({word.substr(0, eq), word.substr(eq + 1)});
  }
  return params;
}

std::optional<std::string> cmdline_value(std::span<const CmdlineParam> params, std::string_view key) {
  std::optional<std::string> value;
  for (const CmdlineParam& p : params)
    if (p.key == key) value = p.value;
  return value;
}

Result<std::vector<CmdlineParam>> read_kernel_cmdline() {
  auto text = read_file(kKernelCmdlinePath);
  if (!text) return fail(text.error());
  return parse_cmdline_params(*text);
}

}  // namespace macula
