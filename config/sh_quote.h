// Quoting for the shell files and commands the config writes (mesh.env is sourced by sh;
// cloud-init's argv commands become sh -c lines).
#pragma once

#include <string>
#include <string_view>

namespace macula {

// 'word' for sh: nothing in it is expanded or run ('\'' for a quote).
inline std::string sh_quoted(std::string_view word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace macula
