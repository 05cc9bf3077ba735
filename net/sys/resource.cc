#include "net/sys/resource.h"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "common/fd.h"
#include "net/sys/download.h"

namespace macula {

namespace {

constexpr size_t kChunk = 1 << 20;

Result<void> stream_file(const std::string& path, const ByteSink& sink) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno(path);
  std::vector<std::byte> buf(kChunk);
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + path);
    if (n == 0) return {};
    if (auto r = sink(std::span(buf.data(), static_cast<size_t>(n))); !r) return r;
  }
}

}  // namespace

bool is_url(std::string_view location) { return location.find("://") != std::string_view::npos; }

Result<void> stream_resource(const std::string& location, const ResourceOptions& options, const ByteSink& sink) {
  if (!is_url(location)) return stream_file(location, sink);
  auto got = download({.url = location, .ca_file = options.ca_file, .progress = options.progress, .policy = options.policy}, sink);
  if (!got) return fail(got.error());
  return {};
}

Result<std::string> read_resource(const std::string& location, const ResourceOptions& options,
                                  std::uint64_t max_bytes) {
  std::string text;
  auto r = stream_resource(location, options, [&](std::span<const std::byte> chunk) -> Result<void> {
    if (text.size() + chunk.size() > max_bytes)
      return fail(location + ": larger than the " + std::to_string(max_bytes) + " bytes expected at most");
    text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return {};
  });
  if (!r) return fail(r.error());
  return text;
}

}  // namespace macula
