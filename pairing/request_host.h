// Whether a request's Host header names this node: its host name, HOSTNAME.local, one of its
// addresses (an IPv6 one in brackets) or loopback, each with or without a port. A page of
// another site whose name was made to resolve to the node (DNS rebinding) sends that site's
// name, and is refused. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace macula {

// The names a Host header may give (lower case, IPv6 addresses in brackets).
std::vector<std::string> node_host_names(std::string_view hostname, const std::vector<std::string>& addresses);

// Nothing when host is one of names (case and a trailing dot aside, any port); else a one-line
// reason that names what was given.
std::optional<std::string> host_problem(std::string_view host, const std::vector<std::string>& names);

}  // namespace macula
