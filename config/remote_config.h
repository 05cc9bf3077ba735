// Config that comes over the network (docs/configuration.md): the config.yaml at
// `macula.config_url=` and the keys of `github:USER` entries of ssh_authorized_keys. The
// network stage (`maculaos config apply --stage network`, once the network is up) fetches them
// into kRemoteCacheDir; the boot stage of every boot applies them from there, so a node that
// boots without network keeps what it fetched last. What to fetch, where it is kept and what
// a fetched body must hold are decided here, purely; the fetching is config/sys/remote_fetch.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/kernel_cmdline.h"
#include "common/result.h"
#include "config/config_tree.h"
#include "names/names.h"

namespace macula {

inline constexpr std::uint64_t kRemoteConfigMaxBytes = 1 << 20;  // as a NoCloud seed's
inline constexpr std::uint64_t kGithubKeysMaxBytes = 256 << 10;

// The https:// URL of `macula.config_url=` (the last one, as the kernel reads repeats); an
// error for any other value: the config gives a node its keys and password hash, so it comes
// over verified TLS only.
Result<std::optional<std::string>> config_url(std::span<const CmdlineParam> cmdline);

// Where the config of a URL is kept: named by a hash of the URL, so that a node booted with
// another URL never applies the copy of the one before.
std::string config_url_cache_path(std::string_view url);

// The USER of each github:USER entry of ssh_authorized_keys, in order.
std::vector<std::string> github_users(const ConfigNode& config);
std::string github_keys_url(std::string_view user);  // GitHub's https://github.com/USER.keys
std::string github_keys_cache_path(std::string_view user);

// The keys fetched before for each github:USER of the config, by USER: those with a copy
// that still reads as keys.
using GithubKeys = std::map<std::string, std::vector<std::string>, std::less<>>;
GithubKeys read_fetched_github_keys(const ConfigNode& config);

// GitHub's USER.keys: one public key a line (none for a user without keys). A line that is
// not a public key the schema takes is an error naming the user and the line: an HTML page of
// a captive portal is not a list of keys.
Result<std::vector<std::string>> parse_github_keys(std::string_view text, std::string_view user);

// A fetched config must parse and validate: an error names the URL, line and key.
Result<void> check_remote_config(std::string_view text, const std::string& url);

}  // namespace macula
