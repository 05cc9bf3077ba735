// Bytes from hex text in unit tests ("8001 0000000e": spaces are ignored), for known answers
// written as a specification or a tool prints them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace macula {

inline std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

}  // namespace macula
