#include "config/remote_config.h"

#include "common/files.h"
#include "common/sha256.h"
#include "common/text_lines.h"
#include "config/config_normalize.h"
#include "names/names.h"

namespace macula {

Result<std::optional<std::string>> config_url(std::span<const CmdlineParam> cmdline) {
  std::optional<std::string> url = cmdline_value(cmdline, kCmdlineConfigUrl);
  if (url && !url->starts_with("https://"))
    return fail(std::string(kCmdlineConfigUrl) + "=" + *url + ": expected an https:// URL (the config is trusted only over verified TLS)");
  return url;
}

std::string config_url_cache_path(std::string_view url) {
  Sha256 hash;
  hash.update(std::as_bytes(std::span(url.data(), url.size())));
  return std::string(kRemoteCacheDir) + "/config-url-" + hash.hex().substr(0, 16) + ".yaml";
}

std::vector<std::string> github_users(const ConfigNode& config) {
  std::vector<std::string> users;
  for (const std::string& key : config_texts(config, "ssh_authorized_keys"))
    if (key.starts_with("github:")) users.push_back(key.substr(7));
  return users;
}

std::string github_keys_url(std::string_view user) { return "https://github.com/" + std::string(user) + ".keys"; }

std::string github_keys_cache_path(std::string_view user) {
  return std::string(kRemoteCacheDir) + "/github-" + std::string(user) + ".keys";
}

GithubKeys read_fetched_github_keys(const ConfigNode& config) {
  GithubKeys fetched;
  for (const std::string& user : github_users(config))
    if (auto text = read_file(github_keys_cache_path(user)))
      if (auto keys = parse_github_keys(*text, user)) fetched.emplace(user, std::move(*keys));
  return fetched;
}

Result<std::vector<std::string>> parse_github_keys(std::string_view text, std::string_view user) {
  std::vector<std::string> keys;
  const std::vector<std::string_view> lines = text_lines(text);
  for (std::size_t number = 1; number <= lines.size(); ++number) {
    std::string line(lines[number - 1]);
    if (line.ends_with('\r')) line.pop_back();
    if (line.empty()) continue;
    // a USER.keys line that names another account would be taken as one of its keys
    if (line.starts_with("github:") || !setting_problem("ssh_authorized_keys", line).empty())
      return fail("github:" + std::string(user) + ": line " + std::to_string(number) + " of " + github_keys_url(user) +
                  " is not a public key (expected one key a line: ssh-ed25519 AAAA...)");
    keys.push_back(std::move(line));
  }
  return keys;
}

Result<void> check_remote_config(std::string_view text, const std::string& url) {
  auto tree = parse_config(text, url);
  if (!tree) return fail(tree.error());
  for (const ConfigIssue& issue : normalize_and_validate(*tree))
    if (issue.severity == ConfigIssue::Severity::error) return fail(issue.str());
  return {};
}

}  // namespace macula
