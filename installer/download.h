// The downloader: libcurl (static, on mbedTLS) streaming a URL into a sink, TLS verified.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "common/result.h"

namespace macula {

// Debian's bundle, used when no CA is given: our libcurl is built without a compiled-in CA path
// (a compiled-in path missing at run time makes every HTTPS request fail with error 77).
inline constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

struct DownloadRequest {
  std::string url;
  std::string ca_file;  // PEM bundle to verify the server against; empty = kSystemCaBundle
};

// Receives the body in order, chunk by chunk; an error aborts the transfer.
using DownloadSink = std::function<Result<void>(std::span<const std::byte>)>;

// Streams the body of request.url into sink. Returns the number of body bytes received.
// HTTP statuses >= 400 and TLS verification failures are errors naming the URL.
Result<std::uint64_t> download(const DownloadRequest& request, const DownloadSink& sink);

}  // namespace macula
