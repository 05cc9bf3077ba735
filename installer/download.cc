#include "installer/download.h"

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <mutex>

namespace macula {

namespace {

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

// Seconds; the values update_engine and RAUC use (see README, "Downloads").
constexpr long kConnectTimeout = 30;
constexpr long kMaxRedirects = 10;

struct Transfer {
  const DownloadSink* sink = nullptr;
  std::uint64_t received = 0;
  std::optional<Error> sink_error = std::nullopt;  // why the sink stopped the transfer, if it did
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (auto r = (*t->sink)(std::as_bytes(std::span(data, n))); !r) {
    t->sink_error = r.error();
    return CURL_WRITEFUNC_ERROR;
  }
  t->received += n;
  return n;
}

}  // namespace

Result<std::uint64_t> download(const DownloadRequest& request, const DownloadSink& sink) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return fail("download " + request.url + ": cannot create a curl handle");

  Transfer transfer{.sink = &sink};
  char detail[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, kConnectTimeout);
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_CAINFO,
                   request.ca_file.empty() ? kSystemCaBundle : request.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);

  const CURLcode rc = curl_easy_perform(h);
  if (transfer.sink_error) return std::unexpected(*transfer.sink_error);
  if (rc != CURLE_OK) {
    const std::string why = detail[0] ? detail : curl_easy_strerror(rc);
    return fail("download " + request.url + ": " + why + " (curl error " +
                std::to_string(static_cast<int>(rc)) + ")");
  }
  return transfer.received;
}

}  // namespace macula
