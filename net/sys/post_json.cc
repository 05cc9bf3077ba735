#include "net/sys/post_json.h"

#include <algorithm>
#include <cctype>

#include "net/sys/curl_handle.h"

namespace macula {

namespace {

using HeaderList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* answer = static_cast<HttpAnswer*>(user);
  if (answer->body.size() + size * count > kMaxAnswerBytes) return 0;  // curl fails the transfer
  answer->body.append(data, size * count);
  return size * count;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  const std::string_view line(data, size * count);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    const std::string name = lower_case(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    static_cast<HttpAnswer*>(user)->headers[name] = value;
  }
  return size * count;
}

}  // namespace

std::string HttpAnswer::header(std::string_view name) const {
  const auto found = headers.find(lower_case(name));
  return found == headers.end() ? "" : found->second;
}

Result<HttpAnswer> post_json(const std::string& url, const std::string& body, std::chrono::seconds timeout) {
  if (!url.starts_with("https://")) return fail(url + ": expected an https:// URL");
  auto handle = new_curl_handle("POST " + url);
  if (!handle) return fail(handle.error());
  CURL* h = handle->get();
  HeaderList headers(curl_slist_append(nullptr, "Content-Type: application/json"), &curl_slist_free_all);
  if (!headers || !curl_slist_append(headers.get(), "Accept: application/json"))
    return fail("POST " + url + ": cannot allocate the request headers");
  HttpAnswer answer;
  char detail[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  set_transfer_basics(h, "", detail, on_header, on_body, &answer);
  if (const CURLcode rc = curl_easy_perform(h); rc != CURLE_OK) {
    const std::string why = rc == CURLE_WRITE_ERROR ? "an answer over 1 MiB" : detail[0] ? detail : curl_easy_strerror(rc);
    return fail(ErrorKind::network, "POST " + url + ": " + why);
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace macula
