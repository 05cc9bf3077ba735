#include "net/resume.h"

#include <catch2/catch.hpp>
#include <initializer_list>

namespace macula {
namespace {

// The header block libcurl hands over, line by line.
ResponseHeaders read(std::initializer_list<std::string_view> lines) {
  ResponseHeaders response;
  for (std::string_view line : lines) read_header_line(line, response);
  return response;
}

ResponseHeaders partial(std::string content_range, std::string etag = "\"v1\"") {
  return {.status = 206, .etag = std::move(etag), .content_range = std::move(content_range)};
}

TEST_CASE("a header block: status and validators, names in any case, each status line starting afresh") {
  const ResponseHeaders r = read({"HTTP/1.1 302 Found\r\n", "Location: /elsewhere\r\n", "ETag: \"old\"\r\n", "\r\n",
                                  "HTTP/1.1 206 Partial Content\r\n", "etag:  \"v1\" \r\n",
                                  "LAST-MODIFIED: Tue, 01 Oct 2024 10:00:00 GMT\r\n",
                                  "Content-Range: bytes 100-199/200\r\n", "\r\n"});
  CHECK(r.status == 206);
  CHECK(r.etag == "\"v1\"");
  CHECK(r.last_modified == "Tue, 01 Oct 2024 10:00:00 GMT");
  CHECK(r.content_range == "bytes 100-199/200");
  CHECK(read({"HTTP/2 200\r\n", "\r\n"}).status == 200);
  CHECK(read({"HTTP/1.1 302 Found\r\n", "ETag: \"old\"\r\n", "HTTP/1.1 200 OK\r\n"}).etag.empty());
}

TEST_CASE("the validator: a strong ETag, else Last-Modified, else none") {
  CHECK(validator_of({.etag = "\"v1\"", .last_modified = "Tue"}) == "\"v1\"");
  CHECK(validator_of({.etag = "W/\"v1\"", .last_modified = "Tue"}) == "Tue");  // weak: not byte-exact
  CHECK(validator_of({.last_modified = "Tue"}) == "Tue");
  CHECK(validator_of({}).empty());
}

TEST_CASE("a resume continues only the same version") {
  CHECK(same_version({.status = 200, .etag = "\"v1\""}, "\"v1\""));
  CHECK_FALSE(same_version({.status = 200, .etag = "\"v2\""}, "\"v1\""));
  CHECK_FALSE(same_version({.status = 200}, "\"v1\""));  // naming none, it may be any
  CHECK(same_version(partial("bytes 5-9/10"), "\"v1\""));
  CHECK(same_version(partial("bytes 5-9/10", ""), "\"v1\""));  // sent under our If-Range
  CHECK_FALSE(same_version(partial("bytes 5-9/10", "\"v2\""), "\"v1\""));  // If-Range ignored
  CHECK(same_version({.status = 200, .last_modified = "Tue"}, "Tue"));
}

TEST_CASE("a resume drops what a 200 repeats and takes a 206 only from the byte asked for") {
  CHECK(bytes_to_drop({.status = 200}, 0) == 0u);
  CHECK(bytes_to_drop({.status = 200}, 5) == 5u);
  CHECK(bytes_to_drop(partial("bytes 5-9/10"), 5) == 0u);
  CHECK(bytes_to_drop(partial("bytes 5-9/*"), 5) == 0u);
  const auto shifted = bytes_to_drop(partial("bytes 6-9/10"), 5);
  REQUIRE_FALSE(shifted);
  CHECK(shifted.error().message ==
        "a resume from byte 5 got Content-Range 'bytes 6-9/10', expected one starting at byte 5");
  CHECK(shifted.error().kind == ErrorKind::network);  // the server's fault, not the bytes held
  CHECK_FALSE(bytes_to_drop(partial(""), 5));
  CHECK_FALSE(bytes_to_drop(partial("bytes */10"), 5));
  const auto other = bytes_to_drop({.status = 204}, 5);
  REQUIRE_FALSE(other);
  CHECK(other.error().message == "a resume from byte 5 got status 204, expected 206 (or 200 from a server that ignores ranges)");
  CHECK(other.error().kind == ErrorKind::network);
}

TEST_CASE("a 416 giving the size held says the held bytes are all of it") {
  const auto unsatisfiable = [](std::string content_range, std::string etag = "") {
    return ResponseHeaders{.status = 416, .etag = std::move(etag), .content_range = std::move(content_range)};
  };
  CHECK(holds_whole_resource(unsatisfiable("bytes */10"), 10, "\"v1\""));
  CHECK(holds_whole_resource(unsatisfiable("bytes */10", "\"v1\""), 10, "\"v1\""));
  CHECK_FALSE(holds_whole_resource(unsatisfiable("bytes */10", "\"v2\""), 10, "\"v1\""));  // another version
  CHECK_FALSE(holds_whole_resource(unsatisfiable("bytes */12"), 10, "\"v1\""));  // it grew: not ours
  CHECK_FALSE(holds_whole_resource(unsatisfiable("bytes */8"), 10, "\"v1\""));   // it shrank
  CHECK_FALSE(holds_whole_resource(unsatisfiable("bytes */10x"), 10, "\"v1\""));
  CHECK_FALSE(holds_whole_resource(unsatisfiable("bytes */"), 10, "\"v1\""));
  CHECK_FALSE(holds_whole_resource(unsatisfiable(""), 10, "\"v1\""));
  CHECK_FALSE(holds_whole_resource(unsatisfiable("bytes */0"), 0, ""));  // nothing held: nothing to keep
  CHECK_FALSE(holds_whole_resource({.status = 404, .content_range = "bytes */10"}, 10, "\"v1\""));
}

TEST_CASE("FILE.part.source: the URL and the version, read back only for the same URL") {
  const std::string text = part_source_text("https://a/blob", "\"v1\"");
  CHECK(text == "https://a/blob\n\"v1\"\n");
  CHECK(part_source_validator(text, "https://a/blob") == "\"v1\"");
  const auto other = part_source_validator(text, "https://b/blob");
  REQUIRE_FALSE(other);
  CHECK(other.error().message == "it holds bytes of https://a/blob, not of https://b/blob");
  CHECK_FALSE(part_source_validator("https://a/blob\n", "https://a/blob"));
  CHECK_FALSE(part_source_validator("https://a/blob\n\n", "https://a/blob"));
  CHECK_FALSE(part_source_validator("https://a/blob\n\"v1\"", "https://a/blob"));
  CHECK_FALSE(part_source_validator("https://a/blob\n\"v1\"\nmore\n", "https://a/blob"));
}

}  // namespace
}  // namespace macula
