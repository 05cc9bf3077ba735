// GRUB's environment block: a 1024-byte file "# GRUB Environment Block\n" + "key=value\n"
// lines, padded with '#'. GRUB's load_env/save_env and grub-editenv read and write it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace macula {

inline constexpr size_t kGrubEnvSize = 1024;

// Variables in file order (GRUB keeps the order; our torn-write check relies on it).
using GrubEnv = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> lookup(const GrubEnv& env, std::string_view key);

// Fails if the header is missing or the block is not 1024 bytes, as GRUB's load_env does.
Result<GrubEnv> parse_grub_env(std::string_view block);

// Exactly kGrubEnvSize bytes; fails if the variables do not fit.
Result<std::string> format_grub_env(const GrubEnv& env);

}  // namespace macula
