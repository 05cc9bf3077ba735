#include "pairing/pairing_code.h"

#include <sodium.h>

#include <cctype>

namespace macula {

std::string format_console_code(const ConsoleCodeDraws& draws) {
  std::string code;
  for (size_t i = 0; i < draws.size(); ++i) {
    const std::string_view alphabet = i < 3 ? kConsoleCodeLetters : kConsoleCodeDigits;
    if (i == 3) code += '-';
    code += alphabet[draws[i] % alphabet.size()];
  }
  return code;
}

Result<std::string> draw_console_code() {
  if (sodium_init() < 0) return fail("libsodium could not initialise (no random source?)");
  ConsoleCodeDraws draws{};
  for (size_t i = 0; i < draws.size(); ++i)
    draws[i] = randombytes_uniform(static_cast<std::uint32_t>((i < 3 ? kConsoleCodeLetters : kConsoleCodeDigits).size()));
  return format_console_code(draws);
}

std::string normalized_code(std::string_view typed) {
  std::string code;
  for (const char c : typed)
    if (c != '-' && !std::isspace(static_cast<unsigned char>(c))) code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return code;
}

bool console_code_matches(std::string_view code, std::string_view typed) {
  const std::string want = normalized_code(code), got = normalized_code(typed);
  if (want.size() != got.size()) return false;
  return sodium_memcmp(want.data(), got.data(), want.size()) == 0;
}

Result<std::string> portal_pairing_code(std::string_view typed) {
  const std::string code = normalized_code(typed);
  const bool fits = code.size() >= 4 && code.size() <= 32 &&
                    code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == std::string::npos;
  if (!fits)
    return fail("Portal pairing code '" + std::string(typed.substr(0, 40)) +
                "': expected the code the Portal shows, 4 to 32 letters and digits");
  return code;
}

}  // namespace macula
