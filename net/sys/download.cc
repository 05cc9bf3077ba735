#include "net/sys/download.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "common/progress.h"
#include "net/sys/curl_handle.h"
#include "net/http_error.h"
#include "net/resume.h"

namespace macula {

namespace {

using HeaderList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

constexpr long kMaxRedirects = 10;
constexpr std::chrono::seconds kMaxBackoff{30};

// One transfer across its attempts.
struct Transfer {
  CURL* curl = nullptr;
  const DownloadRequest* request = nullptr;
  const ByteSink* sink = nullptr;
  std::string validator;           // the version of the bytes delivered (empty: unnamed)
  std::uint64_t delivered = 0;     // bytes handed to the sink, all attempts together
  std::uint64_t skip = 0;          // bytes of this response the sink already has
  ResponseHeaders headers = {};    // of the response being received
  bool body_begun = false;         // of this attempt
  std::optional<Progress> progress = std::nullopt;
  std::optional<Error> stop = std::nullopt;  // why the sink or a check of the response stopped the transfer

  std::uint64_t position() const { return request->offset + delivered; }
};

std::string position_text(const Transfer& t) { return std::to_string(t.position()); }

// The body of this attempt's answer begins (or the answer ended without one): it must continue
// the bytes delivered, from the same version; a server that ignored our Range sends everything
// again (200, not 206), and the bytes the sink already has are dropped.
Result<void> begin_body(Transfer& t) {
  t.body_begun = true;
  const DownloadRequest& request = *t.request;
  if (t.position() > 0 && !same_version(t.headers, t.validator)) {
    if (request.on_changed) request.on_changed();
    const std::string now = validator_of(t.headers);
    return fail(ErrorKind::network, "download " + request.url + ": changed on the server during the download: the " +
                                        position_text(t) + " bytes held are of version " + t.validator +
                                        ", the server now has " + (now.empty() ? "one it does not name" : now));
  }
  auto drop = bytes_to_drop(t.headers, t.position());
  if (!drop) return fail("download " + request.url, drop.error());
  t.skip = *drop;
  if (t.position() == 0) {
    t.validator = validator_of(t.headers);
    if (request.on_start)
      if (auto r = request.on_start(t.validator); !r) return r;
  }
  if (t.progress || request.progress.empty()) return {};
  curl_off_t length = -1;
  curl_easy_getinfo(t.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  const std::uint64_t total = length < 0 ? 0 : static_cast<std::uint64_t>(length) + (t.skip ? 0 : t.position());
  t.progress.emplace(request.progress, total, t.position());
  return {};
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  read_header_line(std::string_view(data, size * count), static_cast<Transfer*>(user)->headers);
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (!t->body_begun)
    if (auto r = begin_body(*t); !r) {
      t->stop = r.error();
      return CURL_WRITEFUNC_ERROR;
    }
  std::span<const std::byte> chunk = std::as_bytes(std::span(data, n));
  const size_t dropped = static_cast<size_t>(std::min<std::uint64_t>(t->skip, n));
  t->skip -= dropped;
  chunk = chunk.subspan(dropped);
  if (chunk.empty()) return n;
  if (auto r = (*t->sink)(chunk); !r) {
    t->stop = r.error();
    return CURL_WRITEFUNC_ERROR;
  }
  t->delivered += chunk.size();
  if (t->progress) t->progress->update(t->position());
  return n;
}

// A transfer that curl gave up on: the HTTP status's kind, or the network's (DNS, connect, TLS,
// a cut or stalled transfer, a redirect refused).
ErrorKind failure_kind(CURLcode rc, long status) {
  return rc == CURLE_HTTP_RETURNED_ERROR ? http_error_kind(status) : ErrorKind::network;
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

// Where redirects may lead: an https URL is never followed down to plain http, where what TLS
// verified would count for nothing.
const char* redirect_protocols(const std::string& url) { return url.starts_with("http://") ? "http,https" : "https"; }

// Why an attempt failed, in curl's words, except for a refused redirect: curl names only its
// scheme, not where it led.
std::string failure_text(CURL* h, CURLcode rc, const char* detail, const std::string& url) {
  std::string why = detail[0] ? detail : curl_easy_strerror(rc);
  const char* led_to = nullptr;
  if (rc == CURLE_UNSUPPORTED_PROTOCOL && curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &led_to) == CURLE_OK &&
      led_to && url != led_to)
    why = "redirected to " + std::string(led_to) + ", but this download follows redirects to " +
          redirect_protocols(url) + " only";
  return why + " (curl error " + std::to_string(static_cast<int>(rc)) + ")";
}

void configure(CURL* h, const DownloadRequest& request, Transfer& transfer, char* detail) {
  const DownloadPolicy& p = request.policy;
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, redirect_protocols(request.url));
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(p.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, p.stall_bytes_per_second);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(p.stall_timeout.count()));
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
  set_transfer_basics(h, request.ca_file, detail, on_header, on_body, &transfer);
}

}  // namespace

Result<void> require_verified_transport(const std::string& url, const std::string& how_to_verify) {
  if (url.starts_with("http://"))
    return fail(ErrorKind::refused, url + ": plain http is not verified: use https, or " + how_to_verify);
  return {};
}

Result<std::uint64_t> download(const DownloadRequest& request, const ByteSink& sink) {
  auto handle = new_curl_handle("download " + request.url);
  if (!handle) return fail(handle.error());
  CurlHandle curl = std::move(*handle);
  Transfer transfer{.curl = curl.get(), .request = &request, .sink = &sink, .validator = request.validator};
  char detail[CURL_ERROR_SIZE] = {};
  configure(curl.get(), request, transfer, detail);

  std::chrono::milliseconds backoff = request.policy.first_backoff;
  for (int attempt = 0;; ++attempt) {
    detail[0] = '\0';
    transfer.body_begun = false;
    // A plain Range header, not CURLOPT_RESUME_FROM: curl refuses a 200 answer to a resume, and
    // begin_body copes with one of the same version by dropping what the sink already has.
    const std::string range = position_text(transfer) + "-";
    curl_easy_setopt(curl.get(), CURLOPT_RANGE, transfer.position() ? range.c_str() : nullptr);
    // Another version of the resource answers with all of it (200), never with a range of it.
    HeaderList if_range(nullptr, &curl_slist_free_all);
    if (transfer.position()) {
      if_range.reset(curl_slist_append(nullptr, ("If-Range: " + transfer.validator).c_str()));
      if (!if_range) return fail("download " + request.url + ": cannot allocate the If-Range header");
    }
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, if_range.get());
    const CURLcode rc = curl_easy_perform(curl.get());
    // An answer without a body is checked too: a resume may still have reached another version.
    if (rc == CURLE_OK && !transfer.body_begun)
      if (auto r = begin_body(transfer); !r) transfer.stop = r.error();
    if (transfer.stop) return fail(*transfer.stop);
    if (rc == CURLE_OK) break;
    if (rc == CURLE_HTTP_RETURNED_ERROR && holds_whole_resource(transfer.headers, transfer.position(), transfer.validator))
      break;  // nothing was left to fetch
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    const std::string why = failure_text(curl.get(), rc, detail, request.url);
    if (!retriable(rc, status) || attempt >= request.policy.retries)
      return fail(failure_kind(rc, status), "download " + request.url + ": " + why +
                  (attempt > 0 ? ", after " + std::to_string(attempt + 1) + " attempts" : ""));
    if (transfer.position() > 0 && transfer.validator.empty())
      return fail(ErrorKind::network, "download " + request.url + ": " + why + "; cannot resume from byte " +
                                          position_text(transfer) +
                                          ": the server named no version (ETag or Last-Modified) of what it sent");
    std::fprintf(stderr, "download %s: %s; retrying from byte %s in %lld ms (retry %d of %d)\n",
                 request.url.c_str(), why.c_str(), position_text(transfer).c_str(),
                 static_cast<long long>(backoff.count()), attempt + 1, request.policy.retries);
    std::this_thread::sleep_for(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
  }
  if (transfer.progress) transfer.progress->finish();
  return transfer.delivered;
}

}  // namespace macula
