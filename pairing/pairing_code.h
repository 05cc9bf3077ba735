// The codes a pairing takes: the node's console code (proof that whoever pairs is at the
// machine: random per boot, shown on its console only) and the Portal's pairing code (which
// account the node joins). Pure, but for drawing the console code.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

// Letters without I and O (read as 1 and 0 off a screen), then digits: "ABC-123".
inline constexpr std::string_view kConsoleCodeLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr std::string_view kConsoleCodeDigits = "0123456789";
using ConsoleCodeDraws = std::array<std::uint32_t, 6>;  // 3 letters, 3 digits, each below its alphabet's size

std::string format_console_code(const ConsoleCodeDraws& draws);
// A code from the kernel's random source (libsodium's uniform draws: no modulo bias).
Result<std::string> draw_console_code();

// What a person typed, as a code compares: capitals, without spaces and dashes.
std::string normalized_code(std::string_view typed);
// Whether typed is the console code, compared in constant time (no timing tells how much of it
// was right).
bool console_code_matches(std::string_view code, std::string_view typed);

// The Portal's pairing code as it is sent: normalized, 4 to 32 letters and digits; else an
// error naming what was typed and what is expected.
Result<std::string> portal_pairing_code(std::string_view typed);

}  // namespace macula
