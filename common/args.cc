#include "common/args.h"

#include <algorithm>
#include <optional>

namespace macula {

std::string ParsedArgs::value_or(std::string_view name, std::string fallback) const {
  auto it = values.find(name);
  return it == values.end() ? std::move(fallback) : it->second;
}

namespace {

const OptionSpec* find_long(std::span<const OptionSpec> specs, std::string_view name) {
  auto it = std::ranges::find(specs, name, &OptionSpec::name);
  return it == specs.end() ? nullptr : &*it;
}

const OptionSpec* find_short(std::span<const OptionSpec> specs, char c) {
  auto it = std::ranges::find(specs, c, &OptionSpec::short_name);
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace

Result<ParsedArgs> parse_args(std::string_view program, std::span<const OptionSpec> specs,
                              std::span<const std::string> args) {
  ParsedArgs out;
  const std::string who(program);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.positional.insert(out.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      out.positional.push_back(arg);
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    if (arg.starts_with("--")) {
      std::string_view body = std::string_view(arg).substr(2);
      if (auto eq = body.find('='); eq != std::string_view::npos) {
        inline_value = std::string(body.substr(eq + 1));
        body = body.substr(0, eq);
      }
      spec = find_long(specs, body);
    } else if (arg.size() == 2) {
      spec = find_short(specs, arg[1]);
    }
    if (!spec) return usage_error("unknown option '" + arg + "' (see " + who + " --help)");
    const std::string name(spec->name);
    if (!spec->takes_value) {
      if (inline_value) return usage_error("option '--" + name + "' takes no value");
      out.flags.insert(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 == args.size()) return usage_error("option '" + arg + "' needs a value");
      inline_value = args[++i];
    }
    out.values[name] = *inline_value;
  }
  return out;
}

}  // namespace macula
