#include "logs/kernel_log.h"

#include <charconv>
#include <cinttypes>
#include <cstdint>
#include <cstdio>

namespace macula {

std::optional<std::string> kmsg_line(std::string_view record) {
  const std::size_t semicolon = record.find(';');
  if (semicolon == std::string_view::npos) return std::nullopt;
  const std::string_view prefix = record.substr(0, semicolon);
  const std::size_t first = prefix.find(',');
  const std::size_t second = first == std::string_view::npos ? first : prefix.find(',', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::size_t third = prefix.find(',', second + 1);
  const std::string_view micros_text = prefix.substr(second + 1, third == std::string_view::npos ? third : third - second - 1);
  std::uint64_t micros = 0;
  auto [end, ec] = std::from_chars(micros_text.data(), micros_text.data() + micros_text.size(), micros);
  if (ec != std::errc() || end != micros_text.data() + micros_text.size()) return std::nullopt;
  std::string_view message = record.substr(semicolon + 1);
  message = message.substr(0, message.find('\n'));  // the KEY=VALUE lines after it are the device's
  char stamp[40];
  std::snprintf(stamp, sizeof stamp, "[%5" PRIu64 ".%06" PRIu64 "] ", micros / 1000000, micros % 1000000);
  return stamp + std::string(message);
}

}  // namespace macula
