#include "net/sys/post_json.h"

#include <algorithm>
#include <cctype>

#include "net/sys/curl_handle.h"

namespace macula {

namespace {

using HeaderList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

// The answer being received, and how much of a body it takes.
struct Receiving {
  HttpAnswer answer;
  size_t max_bytes;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* receiving = static_cast<Receiving*>(user);
  if (receiving->answer.body.size() + size * count > receiving->max_bytes) return 0;  // curl fails the transfer
  receiving->answer.body.append(data, size * count);
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
    static_cast<Receiving*>(user)->answer.headers[name] = value;
  }
  return size * count;
}

}  // namespace

std::string HttpAnswer::header(std::string_view name) const {
  const auto found = headers.find(lower_case(name));
  return found == headers.end() ? "" : found->second;
}

Result<HttpAnswer> request_json(const JsonRequest& request) {
  const std::string what = (request.body ? "POST " : "GET ") + request.url;
  if (!request.url.starts_with("https://")) return fail(request.url + ": expected an https:// URL");
  auto handle = new_curl_handle(what);
  if (!handle) return fail(handle.error());
  CURL* h = handle->get();
  HeaderList headers(curl_slist_append(nullptr, ("Accept: " + request.accept).c_str()), &curl_slist_free_all);
  bool allocated = headers != nullptr;
  if (request.body) allocated = allocated && curl_slist_append(headers.get(), "Content-Type: application/json");
  for (const std::string& header : request.headers) allocated = allocated && curl_slist_append(headers.get(), header.c_str());
  if (!allocated) return fail(what + ": cannot allocate the request headers");
  Receiving receiving{.answer = {}, .max_bytes = request.max_bytes};
  char detail[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  if (request.body) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body->c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body->size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(request.timeout.count()));
  set_transfer_basics(h, request.ca_file, detail, on_header, on_body, &receiving);
  if (const CURLcode rc = curl_easy_perform(h); rc != CURLE_OK) {
    const std::string why = rc == CURLE_WRITE_ERROR ? "an answer over " + std::to_string(request.max_bytes >> 20) + " MiB"
                            : detail[0]             ? detail
                                                    : curl_easy_strerror(rc);
    return fail(ErrorKind::network, what + ": " + why);
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &receiving.answer.status);
  return std::move(receiving.answer);
}

Result<HttpAnswer> post_json(const std::string& url, const std::string& body, std::chrono::seconds timeout) {
  return request_json({.url = url, .body = body, .timeout = timeout});
}

}  // namespace macula
