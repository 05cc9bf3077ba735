#include "net/download.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/progress.h"

namespace macula {

namespace {

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

constexpr long kMaxRedirects = 10;
constexpr std::chrono::seconds kMaxBackoff{30};

// One transfer across its attempts.
struct Transfer {
  CURL* curl = nullptr;
  const DownloadRequest* request = nullptr;
  const ByteSink* sink = nullptr;
  std::uint64_t delivered = 0;     // bytes handed to the sink, all attempts together
  std::uint64_t skip = 0;          // bytes of this response the sink already has
  bool first_chunk = true;         // of this attempt
  std::optional<Progress> progress = std::nullopt;
  std::optional<Error> sink_error = std::nullopt;  // why the sink stopped the transfer, if it did

  std::uint64_t position() const { return request->offset + delivered; }
};

// The first body bytes of an attempt: a server that ignored our Range sends everything again
// (200, not 206), and the bytes the sink already has are dropped.
void start_body(Transfer& t) {
  t.first_chunk = false;
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  t.skip = (t.position() > 0 && status == 200) ? t.position() : 0;
  if (t.progress || t.request->progress.empty()) return;
  curl_off_t length = -1;
  curl_easy_getinfo(t.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  const std::uint64_t total = length < 0 ? 0 : static_cast<std::uint64_t>(length) + (t.skip ? 0 : t.position());
  t.progress.emplace(t.request->progress, total, t.position());
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->first_chunk) start_body(*t);
  std::span<const std::byte> chunk = std::as_bytes(std::span(data, n));
  const size_t dropped = static_cast<size_t>(std::min<std::uint64_t>(t->skip, n));
  t->skip -= dropped;
  chunk = chunk.subspan(dropped);
  if (chunk.empty()) return n;
  if (auto r = (*t->sink)(chunk); !r) {
    t->sink_error = r.error();
    return CURL_WRITEFUNC_ERROR;
  }
  t->delivered += chunk.size();
  if (t->progress) t->progress->update(t->position());
  return n;
}

// Worth another attempt: the network or the server had a bad moment, not a wrong request.
bool retriable(CURLcode rc, long status) {
  switch (rc) {
    case CURLE_HTTP_RETURNED_ERROR: return status >= 500 || status == 408 || status == 429;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING: return true;
    default: return false;
  }
}

void configure(CURL* h, const DownloadRequest& request, Transfer& transfer, char* detail) {
  const DownloadPolicy& p = request.policy;
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(p.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, p.stall_bytes_per_second);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(p.stall_timeout.count()));
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_CAINFO, request.ca_file.empty() ? kSystemCaBundle : request.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
}

}  // namespace

Result<void> require_verified_transport(const std::string& url, const std::string& how_to_verify) {
  if (url.starts_with("http://"))
    return fail(url + ": plain http is not verified: use https, or " + how_to_verify);
  return {};
}

Result<std::uint64_t> download(const DownloadRequest& request, const ByteSink& sink) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return fail("download " + request.url + ": cannot create a curl handle");
  Transfer transfer{.curl = curl.get(), .request = &request, .sink = &sink};
  char detail[CURL_ERROR_SIZE] = {};
  configure(curl.get(), request, transfer, detail);

  std::chrono::milliseconds backoff = request.policy.first_backoff;
  for (int attempt = 0;; ++attempt) {
    detail[0] = '\0';
    transfer.first_chunk = true;
    // A plain Range header, not CURLOPT_RESUME_FROM: curl refuses a 200 answer to a resume, and
    // on_body copes with one by dropping what the sink already has.
    const std::string range = std::to_string(transfer.position()) + "-";
    curl_easy_setopt(curl.get(), CURLOPT_RANGE, transfer.position() ? range.c_str() : nullptr);
    const CURLcode rc = curl_easy_perform(curl.get());
    if (transfer.sink_error) return fail(*transfer.sink_error);
    if (rc == CURLE_OK) break;
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    const std::string why = std::string(detail[0] ? detail : curl_easy_strerror(rc)) + " (curl error " +
                            std::to_string(static_cast<int>(rc)) + ")";
    if (!retriable(rc, status) || attempt >= request.policy.retries)
      return fail("download " + request.url + ": " + why +
                  (attempt > 0 ? ", after " + std::to_string(attempt + 1) + " attempts" : ""));
    std::fprintf(stderr, "download %s: %s; retrying from byte %llu in %lld ms (retry %d of %d)\n",
                 request.url.c_str(), why.c_str(), static_cast<unsigned long long>(transfer.position()),
                 static_cast<long long>(backoff.count()), attempt + 1, request.policy.retries);
    std::this_thread::sleep_for(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
  }
  if (transfer.progress) transfer.progress->finish();
  return transfer.delivered;
}

}  // namespace macula
