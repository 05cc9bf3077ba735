// The kernel command line split into parameters, as the kernel splits it. Every room that
// reads /proc/cmdline (PID 1, the installer's unattended mode, the A/B tools asking which slot
// and disk booted) reads it through this, and gives meaning only to its own keys.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

inline constexpr const char* kKernelCmdlinePath = "/proc/cmdline";

// Splits like the kernel does: on spaces, with "double quotes" allowed around a value.
std::vector<std::string> split_cmdline(std::string_view cmdline);

// `key=value`, or a bare `key` (no value at all, unlike `key=`).
struct CmdlineParam {
  std::string key;
  std::optional<std::string> value;
  bool operator==(const CmdlineParam&) const = default;
};

std::vector<CmdlineParam> parse_cmdline_params(std::string_view cmdline);

// The value of the last `key=` (the kernel's rule for repeated parameters); nullopt when the
// key is absent or bare.
std::optional<std::string> cmdline_value(std::span<const CmdlineParam> params, std::string_view key);

// /proc/cmdline, parsed.
Result<std::vector<CmdlineParam>> read_kernel_cmdline();

}  // namespace macula
