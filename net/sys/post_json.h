// One JSON request to an HTTPS API (the Portal's), TLS verified against the system's CAs: the
// answer's status, body and headers, whatever the status. No retries: the caller knows which
// failures are worth another try.
#pragma once

#include <chrono>
#include <map>
#include <string_view>
#include <string>

#include "common/result.h"

namespace macula {

struct HttpAnswer {
  long status = 0;
  std::string body;                            // at most kMaxAnswerBytes
  std::map<std::string, std::string> headers;  // names in lower case

  // The header's value, whatever the case of name; "" when absent.
  std::string header(std::string_view name) const;
};

inline constexpr size_t kMaxAnswerBytes = 1 << 20;

// An error when there was no answer: the URL is not https, the connection or TLS failed, the
// time ran out, or the body was larger than kMaxAnswerBytes.
Result<HttpAnswer> post_json(const std::string& url, const std::string& body, std::chrono::seconds timeout);

}  // namespace macula
