// GRUB's environment block: a 1024-byte file "# GRUB Environment Block\n" + "key=value\n"
// lines, padded with '#'. GRUB's load_env/save_env and grub-editenv read and write it, and
// Linux reads it with GRUB's own rules (grub-core/lib/envblk.c, grub_envblk_iterate), so the
// two never disagree about a block, torn or whole: a line starting with '#' is skipped and
// parsing goes on after it; a backslash escapes the next byte (a newline too); a line without
// '=' (or a value without its newline) ends the parse there, keeping what came before; when a
// name comes twice, the last one wins.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace macula {

inline constexpr size_t kGrubEnvSize = 1024;
// What we write keeps its text (header and variables) in the first sector: a power cut that
// writes sector 0 and not sector 1 leaves only padding behind, never lines of an older block.
inline constexpr size_t kGrubEnvTextMax = 512;

// Variables in file order, a repeated name each time it appears.
using GrubEnv = std::vector<std::pair<std::string, std::string>>;

// The value of the last assignment of key, as GRUB's load_env leaves it.
std::optional<std::string> lookup(const GrubEnv& env, std::string_view key);

// Fails if the header is missing (as GRUB's load_env does) or the block is not 1024 bytes.
Result<GrubEnv> parse_grub_env(std::string_view block);

// Exactly kGrubEnvSize bytes, escaped as GRUB's save_env escapes; fails if the text does not
// fit in kGrubEnvTextMax bytes.
Result<std::string> format_grub_env(const GrubEnv& env);

}  // namespace macula
