// The content of a write_files entry as written to disk: cloud-init's and k3OS's encodings
// (b64, gzip, gzip inside base64) undone. Pure: text in, bytes out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

// No config file holds more: a gzip that inflates past it is refused (a "zip bomb" would
// otherwise fill the root file system's overlay at every boot).
inline constexpr std::size_t kMaxWrittenFileBytes = 64u << 20;

// encoding: "" (plain), b64|base64, gz|gzip, gz+b64|gz+base64|gzip+b64|gzip+base64 (what the
// schema accepts). Fails with what is wrong with the content ("not valid base64", ...).
Result<std::string> decode_file_content(std::string_view content, std::string_view encoding);

}  // namespace macula
