// Text split into its lines, for the line-based files and outputs MaculaOS reads (locale lists,
// GitHub's USER.keys, a command's output).
#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

namespace macula {

// The lines of text without their '\n', in order; a last line without one is a line too, and
// the end of the text after a '\n' is not. The views point into text.
inline std::vector<std::string_view> text_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

}  // namespace macula
