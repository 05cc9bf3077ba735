#include "net/resume.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace macula {

namespace {

std::string_view trimmed(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Header names are case-insensitive (HTTP/2 sends them in lower case).
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// N of "bytes N-M/SIZE".
std::optional<std::uint64_t> content_range_start(std::string_view range) {
  constexpr std::string_view kUnit = "bytes ";
  if (!range.starts_with(kUnit)) return std::nullopt;
  range.remove_prefix(kUnit.size());
  std::uint64_t first = 0;
  const auto [end, ec] = std::from_chars(range.data(), range.data() + range.size(), first);
  if (ec != std::errc() || end == range.data() + range.size() || *end != '-') return std::nullopt;
  return first;
}

}  // namespace

void read_header_line(std::string_view line, ResponseHeaders& response) {
  if (line.starts_with("HTTP/")) {
    response = {};
    const std::string_view code = trimmed(line.substr(line.find(' ') + 1));  // npos + 1 == 0: no code
    std::from_chars(code.data(), code.data() + code.size(), response.status);
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;  // the blank line that ends the block
  const std::string name = lower(trimmed(line.substr(0, colon)));
  const std::string value(trimmed(line.substr(colon + 1)));
  if (name == "etag") response.etag = value;
  else if (name == "last-modified") response.last_modified = value;
  else if (name == "content-range") response.content_range = value;
}

std::string validator_of(const ResponseHeaders& response) {
  if (!response.etag.empty() && !response.etag.starts_with("W/")) return response.etag;
  return response.last_modified;
}

bool same_version(const ResponseHeaders& response, const std::string& validator) {
  const std::string named = validator_of(response);
  if (response.status == 200) return named == validator;
  return response.status != 206 || named.empty() || named == validator;
}

Result<std::uint64_t> bytes_to_drop(const ResponseHeaders& response, std::uint64_t offset) {
  if (offset == 0) return 0;
  if (response.status == 200) return offset;
  const std::string at = std::to_string(offset);
  if (response.status != 206)
    return fail(ErrorKind::network, "a resume from byte " + at + " got status " + std::to_string(response.status) +
                ", expected 206 (or 200 from a server that ignores ranges)");
  if (content_range_start(response.content_range) != offset)
    return fail(ErrorKind::network, "a resume from byte " + at + " got Content-Range '" + response.content_range +
                "', expected one starting at byte " + at);
  return 0;
}

bool holds_whole_resource(const ResponseHeaders& response, std::uint64_t offset, const std::string& validator) {
  constexpr std::string_view kUnsatisfied = "bytes */";
  const std::string_view range = response.content_range;
  if (response.status != 416 || offset == 0 || !range.starts_with(kUnsatisfied)) return false;
  const std::string_view size_text = range.substr(kUnsatisfied.size());
  std::uint64_t size = 0;
  const auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
  if (ec != std::errc() || end != size_text.data() + size_text.size() || size != offset) return false;
  const std::string named = validator_of(response);
  return named.empty() || named == validator;
}

std::string part_source_text(const std::string& url, const std::string& validator) {
  return url + "\n" + validator + "\n";
}

Result<std::string> part_source_validator(std::string_view text, const std::string& url) {
  const size_t url_end = text.find('\n');
  const size_t validator_end = url_end == std::string_view::npos ? url_end : text.find('\n', url_end + 1);
  if (validator_end == std::string_view::npos || validator_end + 1 != text.size() || validator_end == url_end + 1)
    return fail("its source is not two lines (the URL and the version of the bytes held)");
  if (text.substr(0, url_end) != url)
    return fail("it holds bytes of " + std::string(text.substr(0, url_end)) + ", not of " + url);
  return std::string(text.substr(url_end + 1, validator_end - url_end - 1));
}

}  // namespace macula
