// Fetching what config/remote_config.h names: the one effect of the network stage besides
// applying the boot stage again.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

// Downloads url (TLS verified) and, when its body passes check, keeps it at cache_path
// (written atomically, 0600, kRemoteCacheDir made 0700). True when the copy changed. Any
// failure leaves the copy as it was. The downloader retries briefly: the boot waits for this.
Result<bool> refresh_remote_copy(const std::string& url, const std::string& cache_path, std::uint64_t max_bytes,
                                 const std::function<Result<void>(std::string_view body)>& check);

}  // namespace macula
