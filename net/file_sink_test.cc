#include "net/file_sink.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/fd.h"
#include "common/files.h"

namespace macula {
namespace {

namespace fs = std::filesystem;

// SHA-256 of "hello world\n" (sha256sum).
constexpr const char* kHelloSha256 = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("macula-sink-" + std::to_string(::getpid()));
  UniqueFd fd{::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
  ~TempFile() { fs::remove(path); }
};

std::span<const std::byte> bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

TEST_CASE("a plain stream lands as it came, hashed on the way") {
  TempFile f;
  FileSink sink(f.fd.get(), f.path, "test stream", {});
  REQUIRE(sink.feed(bytes("hello ")));
  REQUIRE(sink.feed(bytes("world\n")));
  REQUIRE(sink.finish());
  CHECK(sink.size() == 12);
  CHECK(sink.sha256() == kHelloSha256);
  CHECK(read_file(f.path).value() == "hello world\n");
}

TEST_CASE("a zstd stream lands decompressed: one cut inside a frame is refused as truncated") {
  const std::string text = "hello world\n";
  std::string packed(ZSTD_compressBound(text.size()), '\0');
  packed.resize(ZSTD_compress(packed.data(), packed.size(), text.data(), text.size(), 3));
  {
    TempFile f;
    FileSink sink(f.fd.get(), f.path, "test stream", {.zstd = true});
    REQUIRE(sink.feed(bytes(packed)));
    REQUIRE(sink.finish());
    CHECK(sink.sha256() == kHelloSha256);
    CHECK(read_file(f.path).value() == text);
  }
  TempFile f;
  FileSink cut(f.fd.get(), f.path, "test stream", {.zstd = true});
  REQUIRE(cut.feed(bytes(std::string_view(packed).substr(0, packed.size() - 4))));
  auto end = cut.finish();
  REQUIRE_FALSE(end);
  CHECK_THAT(end.error().message, Catch::Contains("test stream") && Catch::Contains("truncated"));
}

TEST_CASE("more than the expected size is refused, naming the stream") {
  TempFile f;
  FileSink sink(f.fd.get(), f.path, "test stream", {.max_size = 8});
  REQUIRE(sink.feed(bytes("hello ")));
  auto over = sink.feed(bytes("world\n"));
  REQUIRE_FALSE(over);
  CHECK_THAT(over.error().message, Catch::Contains("test stream") && Catch::Contains("8 bytes"));
  CHECK(over.error().kind == ErrorKind::verification);
}

TEST_CASE("a resumed download hashes what the file already holds") {
  TempFile f;
  REQUIRE(write_all(f.fd.get(), bytes("hello "), f.path));
  FileSink sink(f.fd.get(), f.path, "test stream", {});
  REQUIRE(sink.take_existing());
  CHECK(sink.size() == 6);
  REQUIRE(sink.feed(bytes("world\n")));
  CHECK(sink.sha256() == kHelloSha256);
}

}  // namespace
}  // namespace macula
