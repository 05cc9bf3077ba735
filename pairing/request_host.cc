#include "pairing/request_host.h"

#include <algorithm>
#include <cctype>

namespace macula {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// host without its port: "[fd00::1]:80" is "[fd00::1]", "node.local:8080" is "node.local".
std::optional<std::string_view> without_port(std::string_view host) {
  size_t name_end = host.size();
  if (host.starts_with('[')) {
    name_end = host.find(']');
    if (name_end == std::string_view::npos) return std::nullopt;
    ++name_end;
  } else {
    name_end = std::min(name_end, host.find(':'));
  }
  const std::string_view port = host.substr(name_end);
  if (!port.empty()) {
    if (port.size() < 2 || port.size() > 6 || port[0] != ':' ||
        !std::all_of(port.begin() + 1, port.end(), [](unsigned char c) { return std::isdigit(c); }))
      return std::nullopt;
  }
  return host.substr(0, name_end);
}

}  // namespace

std::vector<std::string> node_host_names(std::string_view hostname, const std::vector<std::string>& addresses) {
  std::vector<std::string> names{lower(hostname), lower(hostname) + ".local", "localhost", "127.0.0.1", "[::1]"};
  for (const std::string& address : addresses)
    names.push_back(address.find(':') != std::string::npos ? "[" + lower(address) + "]" : address);
  return names;
}

std::optional<std::string> host_problem(std::string_view host, const std::vector<std::string>& names) {
  const std::string shown(host.substr(0, 100));
  if (host.empty()) return "the request has no Host header: open the page by the node's name or address";
  auto name = without_port(host);
  if (name && name->ends_with('.')) name->remove_suffix(1);
  if (name && !name->empty() && std::ranges::find(names, lower(*name)) != names.end()) return std::nullopt;
  return "Host '" + shown + "' is not this node: open the page by the node's name or address";
}

}  // namespace macula
