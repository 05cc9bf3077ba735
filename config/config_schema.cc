#include "config/config_schema.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>
#include <string_view>

#include "common/edit_distance.h"
#include "common/json.h"
#include "upgrade/github_releases.h"
#include "upgrade/maintenance_window.h"

namespace macula {

namespace {

// A check of one scalar's text: empty when it is right, else what was expected.
using Check = std::string (*)(std::string_view text);

struct Field;

// The shape of a value and what checks it.
struct Rule {
  enum class Shape {  // in SchemaKey::Shape's order (schema_keys() converts)
    scalar,         // check(text)
    list,           // a list of scalars, each check(text)
    map,            // a mapping of free names to scalars: check_key(name), check(value)
    mapping,        // a mapping of the known fields
    list_of,        // a list of mappings of the known fields
    map_of,         // a mapping of free names (check_key) to mappings of the known fields
  };
  Shape shape;
  Check check = nullptr;
  // The known fields of a mapping (not a span: Field is not complete here, and libc++
  // refuses a span of an incomplete type)
  const Field* fields = nullptr;
  std::size_t field_count = 0;
  Check check_key = nullptr;
  bool secret = false;  // never quoted back in a message
};

struct Field {
  std::string_view name;
  Rule rule;
  bool required = false;
};

// std::regex matches recursively, a frame per character: longer text than any right value
// (an ssh-rsa 16384 key line is 2.8 KB) is refused before it can exhaust the stack.
bool matches(std::string_view text, const char* pattern) {
  if (text.size() > 8192) return false;
  const std::regex re(pattern, std::regex::extended);
  return std::regex_match(text.begin(), text.end(), re);
}

std::string any_text(std::string_view) { return {}; }

std::string non_empty(std::string_view text) { return text.empty() ? "expected a value" : ""; }

// /etc/environment holds one VAR=value a line, and pam_env knows no escapes.
std::string one_line(std::string_view text) {
  return text.find_first_of("\n\r") == std::string_view::npos ? "" : "expected one line of text";
}

std::string boolean(std::string_view text) { return parse_boolean(text) ? "" : "expected true or false"; }

std::string host_name(std::string_view text) {
  // RFC 1123: dot-separated labels of letters, digits and inner hyphens, 63 bytes each, 253 in all
  if (text.size() <= 253 && matches(text, "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"))
    return {};
  return "expected a host name (letters, digits and inner hyphens, 63 characters a label)";
}

std::string crypt_hash(std::string_view text) {
  if (matches(text, "\\$[0-9a-z]{1,2}(\\$[^$:\n]+){2,3}")) return {};
  return "expected a crypt(3) hash such as `openssl passwd -6` prints ($6$...), not a plain-text password";
}

bool public_key_line(std::string_view text) {
  return matches(text, "(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com) [A-Za-z0-9+/]+=*( .*)?");
}

std::string ssh_key(std::string_view text) {
  if (matches(text, "github:[A-Za-z0-9]([A-Za-z0-9-]{0,38})") || public_key_line(text)) return {};
  return "expected a public key line (ssh-ed25519 AAAA... comment) or github:USER";
}

// users' keys: github:USER is the node user's (its keys are fetched by the network stage)
std::string literal_ssh_key(std::string_view text) {
  return public_key_line(text) ? "" : "expected a public key line (ssh-ed25519 AAAA... comment)";
}

// useradd's default NAME_REGEX, as Debian has it
std::string account_name(std::string_view text) {
  return matches(text, "[a-z_][a-z0-9_-]{0,31}") ? "" : "expected a user or group name (a-z, 0-9, _ and -, 32 characters)";
}

// One sudoers rule for the user: HOSTS=(RUNAS) [NOPASSWD:] COMMANDS (`visudo -c` checks it whole).
std::string sudo_rule(std::string_view text) {
  return matches(text, "[A-Za-z0-9_.,-]+ ?= ?(\\([A-Za-z0-9_,: -]+\\) ?)?((NO)?PASSWD: ?)?[A-Za-z0-9_/ .,:*=+-]+")
             ? ""
             : "expected a sudoers rule such as ALL=(ALL) NOPASSWD:ALL";
}

std::string absolute_path(std::string_view text) {
  if (text.starts_with('/') && text.find('\0') == std::string_view::npos && text.find("/../") == std::string_view::npos &&
      !text.ends_with("/..") && !text.ends_with('/'))
    return {};
  return "expected an absolute path of a file (/etc/...)";
}

std::string file_mode(std::string_view text) {
  return matches(text, "0?[0-7]{3}|[0-7]{4}") ? "" : "expected an octal mode such as 0644 or 0600";
}

std::string owner(std::string_view text) {
  return matches(text, "([a-z_][a-z0-9_-]*|[0-9]+)(:([a-z_][a-z0-9_-]*|[0-9]+))?") ? ""
                                                                                     : "expected USER or USER:GROUP";
}

std::string encoding(std::string_view text) {
  for (std::string_view e : {"", "b64", "base64", "gz", "gzip", "gz+b64", "gz+base64", "gzip+b64", "gzip+base64"})
    if (text == e) return {};
  return "expected b64, base64, gz, gzip or gz+b64 (or nothing: plain text)";
}

std::string module_line(std::string_view text) {
  return matches(text, "[A-Za-z0-9_-]+( .*)?") ? "" : "expected a module name, then its parameters (`nf_conntrack hashsize=4096`)";
}

std::string sysctl_name(std::string_view text) {
  return matches(text, "[a-z0-9_-]+([./][A-Za-z0-9_-]+)+") ? "" : "expected a sysctl name such as net.ipv4.ip_forward";
}

std::string env_name(std::string_view text) {
  return matches(text, "[A-Za-z_][A-Za-z0-9_]*") ? "" : "expected a variable name (letters, digits, _)";
}

std::string ip_address(std::string_view text) {
  unsigned char buf[16];
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1) return {};
  return "expected an IPv4 or IPv6 address";
}

std::string host_or_ip(std::string_view text) {
  return ip_address(text).empty() || host_name(text).empty() ? "" : "expected a host name or an IP address";
}

std::string address_with_prefix(std::string_view text) {
  const std::size_t slash = text.find('/');
  unsigned prefix = 0;
  const std::string_view bits = slash == std::string_view::npos ? "" : text.substr(slash + 1);
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  const bool v6 = text.find(':') != std::string_view::npos;
  if (slash != std::string_view::npos && ec == std::errc() && end == bits.data() + bits.size() && !bits.empty() &&
      prefix <= (v6 ? 128u : 32u) && ip_address(text.substr(0, slash)).empty())
    return {};
  return "expected an address with its prefix length (192.168.1.10/24)";
}

std::string https_url(std::string_view text) {
  return matches(text, "https://[^/?#@ ]+(/[^ ]*)?") ? "" : "expected an https:// URL";
}

// maculaos.setup.source: a server (TLS verified: its sums vouch for the rest), or a directory on
// the node in the same layout (an air-gapped node's first boot of a slot that pins a new k3s).
std::string setup_source(std::string_view text) {
  return https_url(text).empty() || matches(text, "/[^ ]*[^/ ]") ? "" : "expected an https:// URL or an absolute directory";
}

// maculaos.upgrade.url: a server's base URL, or GitHub's releases of a repository.
std::string release_source_url(std::string_view text) {
  if (auto github = parse_github_source(text); !github) return "expected github://OWNER/REPO";
  else if (*github) return "";
  return matches(text, "https?://[^/?#@ ]+(/[^ ]*)?") ? "" : "expected an http:// or https:// URL, or github://OWNER/REPO";
}

// What Flux's GitRepository reads (it takes http, https and ssh; https is the one that needs no
// key), in the characters of a repository's address only.
std::string repository_url(std::string_view text) {
  return matches(text, "https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%+-]+)*/?") ? ""
                                                                                : "expected the https:// URL of a Git repository";
}

std::string git_branch(std::string_view text) {
  return matches(text, "[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}") && text.find("..") == std::string_view::npos && !text.ends_with('/') &&
                 !text.ends_with(".lock")
             ? ""
             : "expected a Git branch name such as main";
}

std::string repository_path(std::string_view text) {
  return matches(text, "(\\./)?[A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*/?") && text.find("..") == std::string_view::npos
             ? ""
             : "expected a path inside the repository such as ./clusters/edge (no ..)";
}

// The Portal's Ed25519 public key: base64 of 32 bytes (pairing/portal_protocol.h reads it).
std::string ed25519_key_base64(std::string_view text) {
  return matches(text, "[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=") ? "" : "expected the base64 of a 32-byte Ed25519 public key";
}

std::string k3s_version(std::string_view text) {
  return matches(text, "v[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]*)?") ? "" : "expected a k3s release tag like v1.31.4+k3s1";
}

std::string flux_version(std::string_view text) {
  return matches(text, "[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]*)?") ? "" : "expected a Flux version like 2.4.0 (no v)";
}

std::string label_key(std::string_view text) {
  return matches(text, "([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?")
             ? ""
             : "expected a Kubernetes label name ([prefix/]name, 63 characters)";
}

std::string label_value(std::string_view text) {
  return matches(text, "([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?") ? ""
                                                                            : "expected a Kubernetes label value (63 characters: letters, digits, - _ .)";
}

std::string taint(std::string_view text) {
  return matches(text, "[A-Za-z0-9/._-]+(=[A-Za-z0-9._-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)")
             ? ""
             : "expected KEY[=VALUE]:EFFECT, EFFECT one of NoSchedule, PreferNoSchedule, NoExecute";
}

std::string data_source(std::string_view text) {
  return text == "nocloud" || text == "cdrom" ? "" : "expected nocloud (a CIDATA seed; cdrom is read as nocloud)";
}

std::string keymap(std::string_view text) {
  return matches(text, "[a-z][a-z0-9_]*(-[A-Za-z0-9_]+)*") ? "" : "expected a console keymap name such as us, de, fr-latin1";
}

std::string timezone(std::string_view text) {
  return text.size() <= 64 && matches(text, "[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}") &&
                 text.find("..") == std::string_view::npos
             ? ""
             : "expected a tz database name such as UTC or Europe/Berlin";
}

std::string locale(std::string_view text) {
  return matches(text, "C|POSIX|C\\.UTF-8|[a-z]{2,3}_[A-Z]{2}(\\.[A-Za-z0-9-]+)?(@[a-z]+)?")
             ? ""
             : "expected a locale such as en_US.UTF-8 (or C.UTF-8)";
}

// or its MAC address (NoCloud's network-config matches interfaces so: config/nocloud_network.h)
std::string interface_name(std::string_view text) {
  return matches(text, "[A-Za-z0-9_.:-]{1,15}|([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}")
             ? ""
             : "expected a network interface name (15 characters) or a MAC address";
}

std::string reverse_dns(std::string_view text) {
  return matches(text, "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
             ? ""
             : "expected a reverse-DNS name such as io.macula";
}

std::string tls_mode(std::string_view text) {
  return text == "development" || text == "production" ? "" : "expected development or production";
}

// Decimal digits only (no sign, no space), from lowest to highest.
bool whole_number_in(std::string_view text, unsigned lowest, unsigned highest, unsigned& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty() && out >= lowest && out <= highest;
}

std::string port_rule(std::string_view text) {
  static constexpr std::string_view kExpected = "expected PORT/tcp or PORT/udp (or FIRST-LAST/PROTO), ports 1 to 65535";
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::string(kExpected);
  const std::string_view proto = text.substr(slash + 1), ports = text.substr(0, slash);
  if (proto != "tcp" && proto != "udp") return std::string(kExpected);
  const std::size_t dash = ports.find('-');
  unsigned first = 0, last = 0;
  auto port = [](std::string_view s, unsigned& out) { return whole_number_in(s, 1, 65535, out); };
  const bool ok = dash == std::string_view::npos ? port(ports, first)
                                                 : port(ports.substr(0, dash), first) &&
                                                       port(ports.substr(dash + 1), last) && first < last;
  return ok ? "" : std::string(kExpected);
}

std::string disk_size(std::string_view text) {
  return matches(text, "[1-9][0-9]*(M|G|T|MiB|GiB|TiB)|[1-9][0-9]?%|100%")
             ? ""
             : "expected a size such as 512M, 8G or a share of the free space such as 100%";
}

std::string persistence_device(std::string_view text) {
  return matches(text, "auto|/dev/[A-Za-z0-9/_.:-]+|LABEL=[^ ]+") ? "" : "expected auto, /dev/NAME or LABEL=NAME";
}

std::string channel(std::string_view text) {
  return matches(text, "[a-z0-9][a-z0-9._-]*") ? "" : "expected a channel name such as stable";
}

std::string grub_pbkdf2_hash(std::string_view text) {
  if (matches(text, "grub\\.pbkdf2\\.sha512\\.[1-9][0-9]*\\.[0-9A-F]+\\.[0-9A-F]+")) return {};
  return "expected GRUB's PBKDF2 hash as grub-mkpasswd-pbkdf2 prints it (grub.pbkdf2.sha512.10000.SALT.HASH), "
         "not a plain-text password";
}

// maculaos.upgrade.maintenance_window: the parser's reason (the schema names the key and value)
std::string maintenance_window(std::string_view text) {
  auto window = parse_maintenance_window(text);
  return window ? "" : window.error().text();
}

// maculaos.upgrade.max_unavailable: nodes of a cluster that may upgrade at once
std::string node_count(std::string_view text) {
  unsigned count = 0;
  return whole_number_in(text, 1, 100, count) ? "" : "expected a number of nodes from 1 to 100";
}

std::string watchdog_seconds(std::string_view text) {
  unsigned seconds = 0;
  return whole_number_in(text, 0, 3600, seconds) ? "" : "expected whole seconds from 0 (off) to 3600";
}

using Shape = Rule::Shape;

constexpr Rule scalar(Check check) { return {Shape::scalar, check}; }
constexpr Rule secret(Check check) { return {Shape::scalar, check, nullptr, 0, nullptr, true}; }
constexpr Rule list(Check check) { return {Shape::list, check}; }
constexpr Rule map(Check check_key, Check check) { return {Shape::map, check, nullptr, 0, check_key}; }
template <std::size_t N>
constexpr Rule mapping(const Field (&fields)[N]) { return {Shape::mapping, nullptr, fields, N}; }
template <std::size_t N>
constexpr Rule list_of(const Field (&fields)[N]) { return {Shape::list_of, nullptr, fields, N}; }
template <std::size_t N>
constexpr Rule map_of(Check check_key, const Field (&fields)[N]) { return {Shape::map_of, nullptr, fields, N, check_key}; }

constexpr Field kWriteFile[] = {
    {"path", scalar(absolute_path), true},
    {"content", scalar(any_text)},
    {"encoding", scalar(encoding)},
    {"owner", scalar(owner)},
    {"permissions", scalar(file_mode)},
    {"append", scalar(boolean)},
    {"defer", scalar(boolean)},
};
constexpr Field kUser[] = {
    {"name", scalar(account_name), true},
    {"groups", list(account_name)},
    {"shell", scalar(absolute_path)},
    {"ssh_authorized_keys", list(literal_ssh_key)},
    {"passwd", secret(crypt_hash)},
    {"lock_passwd", scalar(boolean)},
    {"sudo", list(sudo_rule)},
};
constexpr Field kInterface[] = {
    {"dhcp", scalar(boolean)},
    {"address", scalar(address_with_prefix)},
    {"gateway", scalar(ip_address)},
    {"dns", list(ip_address)},
};
constexpr Field kNetwork[] = {
    {"interfaces", map_of(interface_name, kInterface)},
};
constexpr Field kRoles[] = {
    {"bootstrap", scalar(boolean)},
    {"gateway", scalar(boolean)},
    {"peer", scalar(boolean)},
};
constexpr Field kMesh[] = {
    {"roles", mapping(kRoles)},
    {"bootstrap_peers", list(https_url)},
    {"realm", scalar(reverse_dns)},
    {"tls_mode", scalar(tls_mode)},
};
constexpr Field kFirewall[] = {
    {"enabled", scalar(boolean)},
    {"allow", list(port_rule)},
};
constexpr Field kLive[] = {
    {"persistence", scalar(boolean)},
    {"persistence_device", scalar(persistence_device)},
    {"persistence_size", scalar(disk_size)},
};
constexpr Field kUpgrade[] = {
    {"url", scalar(release_source_url)},
    {"channel", scalar(channel)},
    {"auto_check", scalar(boolean)},
    {"auto_apply", scalar(boolean)},
    {"maintenance_window", scalar(maintenance_window)},
    {"max_unavailable", scalar(node_count)},
};
constexpr Field kBoot[] = {
    {"watchdog", scalar(watchdog_seconds)},
    {"grub_password", secret(grub_pbkdf2_hash)},
};
constexpr Field kGitops[] = {
    {"url", scalar(repository_url)},
    {"branch", scalar(git_branch)},
    {"path", scalar(repository_path)},
};
constexpr Field kSetup[] = {
    {"source", scalar(setup_source)},
    {"k3s_version", scalar(k3s_version)},
    {"flux_version", scalar(flux_version)},
    {"airgap_images", scalar(boolean)},
    {"gitops", mapping(kGitops)},
};
constexpr Field kPortal[] = {
    {"url", scalar(https_url)},
    {"signing_key", scalar(ed25519_key_base64)},
};
constexpr Field kMaculaos[] = {
    {"password", secret(crypt_hash)},
    {"modules", list(module_line)},
    {"sysctl", map(sysctl_name, any_text)},
    {"dns_nameservers", list(ip_address)},
    {"ntp_servers", list(host_or_ip)},
    {"environment", map(env_name, one_line)},
    {"labels", map(label_key, label_value)},
    {"taints", list(taint)},
    {"k3s_args", list(any_text)},
    {"server_url", scalar(https_url)},
    {"token", secret(non_empty)},
    {"node_name", scalar(host_name)},
    {"data_sources", list(data_source)},
    {"keyboard", scalar(keymap)},
    {"timezone", scalar(timezone)},
    {"locale", scalar(locale)},
    {"network", mapping(kNetwork)},
    {"mesh", mapping(kMesh)},
    {"firewall", mapping(kFirewall)},
    {"live", mapping(kLive)},
    {"upgrade", mapping(kUpgrade)},
    {"boot", mapping(kBoot)},
    {"setup", mapping(kSetup)},
    {"portal", mapping(kPortal)},
};
constexpr Field kK3s[] = {
    {"args", list(any_text)},
};
constexpr Field kTop[] = {
    {"hostname", scalar(host_name)},
    {"ssh_authorized_keys", list(ssh_key)},
    {"write_files", list_of(kWriteFile)},
    {"users", list_of(kUser)},
    {"init_cmd", list(non_empty)},
    {"boot_cmd", list(non_empty)},
    {"run_cmd", list(non_empty)},
    {"maculaos", mapping(kMaculaos)},
    {"k3s", mapping(kK3s)},
};

std::span<const Field> known_fields(const Rule& rule) { return {rule.fields, rule.field_count}; }

const char* shape_name(Shape shape) {
  switch (shape) {
    case Shape::scalar: return "expected a single value";
    case Shape::list: return "expected a list of values";
    case Shape::map: return "expected a mapping of names to values";
    case Shape::mapping: return "expected a mapping";
    case Shape::list_of: return "expected a list of mappings";
    case Shape::map_of: return "expected a mapping of names to mappings";
  }
  return "";
}

// " (did you mean NAME?)" with the known field nearest to name, or nothing when none is near.
std::string did_you_mean(std::string_view name, std::span<const Field> known) {
  std::vector<std::string_view> names;
  for (const Field& field : known) names.push_back(field.name);
  const std::optional<std::string_view> nearest = nearest_word(name, names);
  return nearest ? " (did you mean " + std::string(*nearest) + "?)" : "";
}

class Validator {
 public:
  std::vector<ConfigIssue> issues;

  void fields(const ConfigNode& node, std::span<const Field> known, const std::string& path) {
    for (const auto& [name, value] : node.pairs) {
      const std::string key = path.empty() ? name : path + "." + name;
      auto field = std::find_if(known.begin(), known.end(), [&](const Field& f) { return f.name == name; });
      if (field == known.end()) {
        warn(value.mark, key, "unknown key, ignored" + did_you_mean(name, known));
        continue;
      }
      value_of(value, field->rule, key);
    }
    for (const Field& field : known)
      if (field.required && !node.find(field.name)) error(node.mark, path + "." + std::string(field.name), "missing: " + std::string(field.name) + " is required");
  }

 private:
  void error(const ConfigMark& mark, const std::string& key, std::string message) {
    issues.push_back({ConfigIssue::Severity::error, mark, key, std::move(message)});
  }
  void warn(const ConfigMark& mark, const std::string& key, std::string message) {
    issues.push_back({ConfigIssue::Severity::warning, mark, key, std::move(message)});
  }

  void text(const ConfigNode& node, Check check, bool secret, const std::string& key) {
    if (!node.is_scalar()) return error(node.mark, key, "expected a single value");
    if (std::string why = check(node.text); !why.empty())
      error(node.mark, key, secret ? why : json_quote(node.text) + ": " + why);
  }

  void value_of(const ConfigNode& node, const Rule& rule, const std::string& key) {
    const bool is_map = rule.shape == Shape::mapping || rule.shape == Shape::map || rule.shape == Shape::map_of;
    const bool is_list = rule.shape == Shape::list || rule.shape == Shape::list_of;
    if ((is_map && !node.is_mapping()) || (is_list && !node.is_sequence()) ||
        (rule.shape == Shape::scalar && !node.is_scalar()))
      return error(node.mark, key, shape_name(rule.shape));
    switch (rule.shape) {
      case Shape::scalar:
        return text(node, rule.check, rule.secret, key);
      case Shape::list:
        for (std::size_t i = 0; i < node.items.size(); ++i)
          text(node.items[i], rule.check, rule.secret, key + "[" + std::to_string(i) + "]");
        return;
      case Shape::map:
        for (const auto& [name, value] : node.pairs) {
          if (std::string why = rule.check_key(name); !why.empty())
            error(value.mark, key, json_quote(name) + ": " + why);
          text(value, rule.check, rule.secret, key + "." + name);
        }
        return;
      case Shape::mapping:
        return fields(node, known_fields(rule), key);
      case Shape::list_of:
        for (std::size_t i = 0; i < node.items.size(); ++i) {
          const std::string item = key + "[" + std::to_string(i) + "]";
          if (!node.items[i].is_mapping())
            error(node.items[i].mark, item, "expected a mapping");
          else
            fields(node.items[i], known_fields(rule), item);
        }
        return;
      case Shape::map_of:
        for (const auto& [name, value] : node.pairs) {
          if (std::string why = rule.check_key(name); !why.empty()) error(value.mark, key, json_quote(name) + ": " + why);
          if (!value.is_mapping())
            error(value.mark, key + "." + name, "expected a mapping");
          else
            fields(value, known_fields(rule), key + "." + name);
        }
        return;
    }
  }
};

}  // namespace

std::string ConfigIssue::str() const {
  if (key.empty()) return message;  // a file that did not parse: the message names the place
  return mark.str() + ": " + (severity == Severity::warning ? "warning: " : "") + key + ": " + message;
}

std::vector<ConfigIssue> validate_config(const ConfigNode& root) {
  Validator v;
  v.fields(root, kTop, "");
  return std::move(v.issues);
}

namespace {

void hide_secrets(ConfigNode& node, std::span<const Field> known) {
  for (auto& [name, value] : node.pairs) {
    auto field = std::find_if(known.begin(), known.end(), [&](const Field& f) { return f.name == name; });
    if (field == known.end()) continue;
    if (field->rule.secret && value.is_scalar()) value.text = "(set)";
    if (field->rule.shape == Shape::mapping && value.is_mapping()) hide_secrets(value, known_fields(field->rule));
    if (field->rule.shape == Shape::list_of && value.is_sequence())
      for (ConfigNode& item : value.items) hide_secrets(item, known_fields(field->rule));
  }
}

}  // namespace

namespace {

// A check's message is what it expects: a line break (or nothing) is a value no check but free
// text's takes, which draws the message out.
std::string what_check_takes(Check check) {
  for (std::string_view probe : {"\n", ""})
    if (std::string why = check(probe); !why.empty()) return why.starts_with("expected ") ? why.substr(9) : why;
  return {};
}

static_assert(static_cast<int>(Shape::scalar) == static_cast<int>(SchemaKey::Shape::value) &&
              static_cast<int>(Shape::list) == static_cast<int>(SchemaKey::Shape::list) &&
              static_cast<int>(Shape::map) == static_cast<int>(SchemaKey::Shape::map) &&
              static_cast<int>(Shape::mapping) == static_cast<int>(SchemaKey::Shape::mapping) &&
              static_cast<int>(Shape::list_of) == static_cast<int>(SchemaKey::Shape::list_of) &&
              static_cast<int>(Shape::map_of) == static_cast<int>(SchemaKey::Shape::map_of));

void list_keys(std::span<const Field> known, const std::string& parent, std::vector<SchemaKey>& out) {
  for (const Field& field : known) {
    const Rule& rule = field.rule;
    SchemaKey key;
    key.key = parent + std::string(field.name);
    key.shape = static_cast<SchemaKey::Shape>(rule.shape);
    if (rule.check) key.takes = what_check_takes(rule.check);
    if (rule.check_key) key.name_takes = what_check_takes(rule.check_key);
    key.flag = rule.check == boolean;
    key.secret = rule.secret;
    key.required = field.required;
    out.push_back(key);
    if (rule.shape == Shape::mapping) list_keys(known_fields(rule), key.key + ".", out);
    if (rule.shape == Shape::list_of) list_keys(known_fields(rule), key.key + "[].", out);
    if (rule.shape == Shape::map_of) list_keys(known_fields(rule), key.key + ".NAME.", out);
  }
}

}  // namespace

std::vector<SchemaKey> schema_keys() {
  std::vector<SchemaKey> keys;
  list_keys(kTop, "", keys);
  return keys;
}

ConfigNode without_secrets(ConfigNode tree) {
  hide_secrets(tree, kTop);
  return tree;
}

bool has_errors(std::span<const ConfigIssue> issues) {
  return std::ranges::any_of(issues, [](const ConfigIssue& i) { return i.severity == ConfigIssue::Severity::error; });
}

std::optional<bool> parse_boolean(std::string_view text) {
  std::string lower(text);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

bool config_flag(const ConfigNode& root, std::string_view dotted_key, bool fallback) {
  const std::optional<std::string> text = config_text(root, dotted_key);
  const std::optional<bool> value = text ? parse_boolean(*text) : std::nullopt;
  return value.value_or(fallback);
}

std::string setting_problem(std::string_view dotted_key, std::string_view value) {
  ConfigNode root;
  ConfigNode* at = &root;
  std::string_view key = dotted_key;
  for (std::size_t dot; (dot = key.find('.')) != std::string_view::npos; key.remove_prefix(dot + 1))
    at = &at->pairs.emplace_back(std::string(key.substr(0, dot)), ConfigNode{}).second;
  ConfigNode leaf{ConfigNode::Kind::scalar, std::string(value), {}, {}, {}};
  if (key == "ssh_authorized_keys")  // a list: the value is one item
    leaf = ConfigNode{ConfigNode::Kind::sequence, "", {leaf}, {}, {}};
  at->pairs.emplace_back(std::string(key), std::move(leaf));
  for (const ConfigIssue& issue : validate_config(root))
    if (issue.severity == ConfigIssue::Severity::error) return issue.message;
  return {};
}

}  // namespace macula
