#include "init/cmdline.h"

#include <array>
#include <charconv>
#include <set>
#include <utility>

#include "ab/installed_disk.h"
#include "common/kernel_cmdline.h"
#include "names/names.h"

namespace macula {

namespace {

template <class Table>
std::string choices(const Table& table) {
  std::string out;
  for (size_t i = 0; i < table.size(); ++i)
    out += (i == 0 ? "" : i + 1 == table.size() ? " or " : ", ") + std::string(table[i].second);
  return out;
}

std::optional<bool> parse_bool(std::string_view v) {
  if (v == "1" || v == "yes" || v == "true" || v == "on") return true;
  if (v == "0" || v == "no" || v == "false" || v == "off") return false;
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  while (!v.empty()) {
    const size_t comma = v.find(',');
    std::string item(v.substr(0, comma));
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  return out;
}

// A value as warnings quote it: one line (a quoted value can hold a newline), and not so long
// that it drowns the line.
std::string shortened(std::string_view value) {
  constexpr size_t kMax = 64;
  std::string out(value.substr(0, kMax));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  if (value.size() > kMax) out += "... (" + std::to_string(value.size()) + " bytes)";
  return out;
}

// Keys that may be given more than once: each adds to a list.
bool accumulates(std::string_view key) { return key == kCmdlineConsole || key == kCmdlineModules; }

class Parser {
 public:
  explicit Parser(BootConfig& config) : c_(config) {}

  void apply(std::string_view key, std::optional<std::string_view> value) {
    const std::string_view v = value.value_or("");
    if (key == kCmdlineMode) {
      c_.mode = named(kBootModeNames, v);
      if (!c_.mode)
        warn(key, v, "expected " + choices(kBootModeNames) + "; choosing by the media present instead");
    } else if (key == kCmdlineDebug) {
      flag(key, value, c_.debug, "on");
    } else if (key == kCmdlineBreak) {
      if (!value) {
        c_.break_before = BreakPoint::pivot;
      } else if (auto stage = named(kBreakPointNames, v)) {
        c_.break_before = stage;
      } else {
        c_.break_before = BreakPoint::pivot;
        warn(key, v, "expected " + choices(kBreakPointNames) + "; breaking before pivot instead");
      }
    } else if (key == kCmdlineShell) {
      flag(key, value, c_.shell_allowed, "allowed");
    } else if (key == kCmdlineEmergency) {
      if (auto e = named(kEmergencyNames, v)) {
        c_.emergency = *e;
      } else {
        warn(key, v, "expected " + choices(kEmergencyNames) +
                         "; using the default (reboot on an installed disk, else shell)");
      }
    } else if (key == kCmdlineTimeout) {
      seconds(key, v, 1, c_.device_timeout);
    } else if (key == kCmdlineWatchdog) {
      std::chrono::seconds watchdog = c_.watchdog.value_or(kTrialWatchdog);
      if (seconds(key, v, 0, watchdog)) c_.watchdog = watchdog;
    } else if (key == kCmdlineModules) {
      for (auto& m : split_list(v)) c_.extra_modules.push_back(std::move(m));
    } else if (key == kCmdlineConsole) {
      if (!v.empty()) c_.consoles.emplace_back(v);
    } else if (key == kCmdlineSlot) {
      c_.slot = parse_slot(v);
      if (!c_.slot) warn(key, v, "expected a or b; using none (disk mode will stop)");
    } else if (key == kCmdlinePersistence) {
      persistence(key, value);
    } else if (key == kCmdlineEsp) {
      c_.esp = v;
    } else if (key == kCmdlineInit) {
      if (v.starts_with('/')) {
        c_.init = v;
      } else {
        warn(key, v, "expected an absolute path; using " + shortened(c_.init));
      }
    }
  }

 private:
  void persistence(std::string_view key, std::optional<std::string_view> value) {
    c_.persistence = true;
    c_.persistence_device.clear();
    if (!value) return;
    if (auto on = parse_bool(*value)) {
      c_.persistence = *on;
    } else if (*value == "auto" || value->starts_with("/dev/") || (value->starts_with("LABEL=") && value->size() > 6)) {
      c_.persistence_device = *value;
    } else {
      warn(key, *value, "expected 0, 1, auto, /dev/NAME or LABEL=NAME; using auto");
    }
  }

  // Whole seconds from `min` to an hour, into target; false (and a warning) for anything else.
  bool seconds(std::string_view key, std::string_view v, unsigned min, std::chrono::seconds& target) {
    unsigned n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < min || n > 3600) {
      warn(key, v, "expected whole seconds from " + std::to_string(min) + " to 3600; using " +
                       std::to_string(target.count()));
      return false;
    }
    target = std::chrono::seconds(n);
    return true;
  }

  // A bare flag means on; an explicit value must be a boolean.
  void flag(std::string_view key, std::optional<std::string_view> value, bool& target,
            std::string_view meaning_of_true) {
    if (!value) {
      target = true;
    } else if (auto b = parse_bool(*value)) {
      target = *b;
    } else {
      warn(key, *value, "expected 0 or 1; using " + std::string(target ? "1" : "0") + " (" +
                            std::string(target ? meaning_of_true : "off") + ")");
    }
  }

  void warn(std::string_view key, std::string_view value, const std::string& what) {
    c_.warnings.push_back(shortened(key) + "=" + shortened(value) + ": " + what);
  }

  BootConfig& c_;
};

}  // namespace

BootConfig parse_cmdline(std::string_view cmdline) {
  BootConfig config;
  Parser parser(config);
  std::set<std::string> seen;
  for (const CmdlineParam& p : parse_cmdline_params(cmdline)) {
    const bool ours = p.key.starts_with(kCmdlineOwnPrefix) || p.key == kCmdlineInit;
    if (ours && !accumulates(p.key) && !seen.insert(p.key).second)
      config.warnings.push_back(shortened(p.key) + "=" + shortened(p.value.value_or("")) + ": " +
                                shortened(p.key) + " was given before; this one wins");
    parser.apply(p.key, p.value);
  }
  return config;
}

Emergency emergency_action(const BootConfig& config, std::optional<BootMode> mode) {
  Emergency action = config.emergency.value_or(mode == BootMode::disk ? Emergency::reboot : Emergency::shell);
  if (action == Emergency::shell && !config.shell_allowed) action = Emergency::reboot;
  return action;
}

bool replaces_image_init(const BootConfig& config) { return config.init != kImageInit; }

std::vector<std::string> ignored_argument_warnings(std::span<const std::string> args) {
  std::vector<std::string> warnings;
  for (const std::string& arg : args)
    warnings.push_back("argument '" + shortened(arg) +
                       "' on the kernel command line: unknown to the kernel, which handed it to /init; ignored");
  return warnings;
}

}  // namespace macula
