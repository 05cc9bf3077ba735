// "A URL or a local file": a release manifest, its artifacts, a node config are read the same
// way from either. URLs go through the downloader (TLS verified, resumed, retried).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "net/byte_sink.h"
#include "net/sys/download.h"

namespace macula {

// scheme://... rather than a path.
bool is_url(std::string_view location);

struct ResourceOptions {
  std::string ca_file = {};   // PEM bundle for https; empty: the system's
  std::string progress = {};  // what to call a download in progress lines; empty: none
  DownloadPolicy policy = {};
};

// Streams the URL's body or the file's bytes into sink, in order.
Result<void> stream_resource(const std::string& location, const ResourceOptions& options, const ByteSink& sink);

// The whole resource as text; more than max_bytes is refused, naming the location.
Result<std::string> read_resource(const std::string& location, const ResourceOptions& options,
                                  std::uint64_t max_bytes);

}  // namespace macula
