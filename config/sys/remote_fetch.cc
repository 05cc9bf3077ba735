#include "config/sys/remote_fetch.h"

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

#include "common/files.h"
#include "config/remote_config.h"
#include "net/sys/download.h"
#include "net/sys/resource.h"

namespace macula {

Result<bool> refresh_remote_copy(const std::string& url, const std::string& cache_path, std::uint64_t max_bytes,
                                 const std::function<Result<void>(std::string_view body)>& check) {
  // about half a minute when the network is not there: every boot without one waits for it
  const DownloadPolicy policy{.retries = 4, .connect_timeout = std::chrono::seconds(15)};
  auto body = read_resource(url, {.policy = policy}, max_bytes);
  if (!body) return fail(body.error());
  if (auto r = check(*body); !r) return fail(r.error());
  auto kept = read_file(cache_path);
  if (kept && *kept == *body) return false;
  for (const std::string& dir : {std::filesystem::path(kRemoteCacheDir).parent_path().string(), std::string(kRemoteCacheDir)})
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return fail_errno("mkdir " + dir);
  if (auto r = write_file_atomic(cache_path, *body, 0600); !r) return fail(r.error());
  return true;
}

}  // namespace macula
