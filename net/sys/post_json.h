// One JSON request to an HTTPS API (the Portal's, GitHub's), TLS verified: the answer's
// status, body and headers, whatever the status. No retries: the caller knows which failures
// are worth another try.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

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

struct JsonRequest {
  std::string url{};                 // https only
  std::optional<std::string> body{};  // POSTed when set, else a GET
  std::vector<std::string> headers{};  // "Name: value", beside Accept (and Content-Type for a POST)
  std::string accept = "application/json";
  std::string ca_file{};             // PEM bundle; "": the system's
  std::chrono::seconds timeout{30};
  size_t max_bytes = kMaxAnswerBytes;
};

// An error when there was no answer: the URL is not https, the connection or TLS failed, the
// time ran out, or the body was larger than max_bytes.
Result<HttpAnswer> request_json(const JsonRequest& request);

// request_json's POST of body to url with the system's CAs.
Result<HttpAnswer> post_json(const std::string& url, const std::string& body, std::chrono::seconds timeout);

}  // namespace macula
