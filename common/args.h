// A small command-line parser shared by every applet, kept pure so it is unit tested.
// Accepts "--name VALUE", "--name=VALUE", "-n VALUE", "--flag", "--" and positionals.
#pragma once

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

struct OptionSpec {
  std::string_view name;  // long name without dashes, e.g. "output"
  char short_name = 0;    // e.g. 'o', or 0
  bool takes_value = false;
};

struct ParsedArgs {
  std::map<std::string, std::string, std::less<>> values;
  std::set<std::string, std::less<>> flags;
  std::vector<std::string> positional;

  bool has(std::string_view name) const { return flags.contains(name) || values.contains(name); }
  std::string value_or(std::string_view name, std::string fallback) const;
};

// `program` names the applet in error messages ("fetch: unknown option '--x'").
Result<ParsedArgs> parse_args(std::string_view program, std::span<const OptionSpec> specs,
                              std::span<const std::string> args);

}  // namespace macula
