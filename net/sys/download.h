// The downloader: libcurl (static, on mbedTLS) streaming a URL into a sink, TLS verified,
// resuming with Range requests across bounded retries, only from the same version of the
// resource (If-Range, see net/resume.h). The sink sees one continuous stream whatever happened
// on the wire, so hashing and decompressing on the way stay correct.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "common/result.h"
#include "net/byte_sink.h"

namespace macula {

// The defaults: 30 s to connect (Chromium OS update_engine); a transfer slower than 10 bytes/s
// for 90 s is stalled (Flatcar's update_engine; Chromium's 1 B/s for 30 s gives up on a
// congested link too soon); 5 retries like RAUC's streaming, each resuming where the last
// attempt stopped, after 1, 2, 4, 8, 16 s rather than RAUC's fixed 1 s.
struct DownloadPolicy {
  int retries = 5;
  std::chrono::milliseconds first_backoff{1000};
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds stall_timeout{90};
  long stall_bytes_per_second = 10;
};

struct DownloadRequest {
  std::string url;
  std::string ca_file = {};  // PEM bundle to verify the server against; empty = kSystemCaBundle (net/sys/curl_handle.h)
  std::uint64_t offset = 0;  // bytes the caller already holds: the transfer starts there
  std::string validator = {};  // with offset > 0 (required then): the version of those bytes
  std::string progress = {};  // what to call the transfer in progress lines; empty: none
  DownloadPolicy policy = {};
  // Told the validator of a response that begins the body at byte 0 (empty: it names none, and
  // what it sends cannot be resumed), before the sink gets a byte of it. An error stops the
  // transfer.
  std::function<Result<void>(const std::string& validator)> on_start = {};
  // Told, just before download() refuses, that a resume found another version on the server:
  // the bytes the caller holds are of one that is gone.
  std::function<void()> on_changed = {};
};

// Plain http:// is accepted only where the caller verifies the content itself (a SHA-256, a
// signature): commands that cannot refuse it with this, naming the URL.
Result<void> require_verified_transport(const std::string& url, const std::string& how_to_verify);

// Streams the body of request.url from request.offset into sink (an error from the sink aborts
// the transfer, never retried). Returns the number of body bytes delivered to the sink. HTTP
// statuses >= 400, TLS verification failures, an https URL redirected to plain http and a
// resume answered with another version or range are errors naming the URL; connection
// failures, timeouts, 5xx and cut transfers are retried, unless the server named no version of
// what it had sent (then nothing can vouch for a resume).
Result<std::uint64_t> download(const DownloadRequest& request, const ByteSink& sink);

}  // namespace macula
