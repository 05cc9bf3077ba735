#include "config/image_password.h"

#include <crypt.h>

#include <cstring>

namespace macula {

ImagePasswordStep image_password_step(bool installed, bool password_set, bool has_ssh_keys) {
  if (!installed || password_set) return ImagePasswordStep::keep;
  return has_ssh_keys ? ImagePasswordStep::lock : ImagePasswordStep::expire;
}

std::optional<std::string> shadow_hash(std::string_view shadow, std::string_view user) {
  for (std::size_t at = 0; at < shadow.size();) {
    const std::size_t end = std::min(shadow.find('\n', at), shadow.size());
    const std::string_view line = shadow.substr(at, end - at);
    at = end + 1;
    if (line.size() <= user.size() || !line.starts_with(user) || line[user.size()] != ':') continue;
    const std::string_view rest = line.substr(user.size() + 1);
    return std::string(rest.substr(0, rest.find(':')));
  }
  return std::nullopt;
}

bool hash_holds(const std::string& hash, const std::string& password) {
  // a locked hash ('!' in front) and an empty one are not crypt(3) settings: crypt_r fails
  // (NULL, or a string starting with '*') and nothing matches
  if (hash.empty() || hash[0] == '!' || hash[0] == '*') return false;
  crypt_data data{};
  const char* computed = ::crypt_r(password.c_str(), hash.c_str(), &data);
  return computed && computed[0] != '*' && hash == computed;
}

}  // namespace macula
