// Resuming a download safely. Bytes already held may be continued only with bytes of the same
// version of the resource, named by its validator (RFC 9110: the ETag, else Last-Modified), and
// only from exactly the byte asked for; anything else would splice two versions into one file.
// Pure, so unit tested; the downloader and `maculaos fetch` apply it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

// One response's header block, as far as resuming cares.
struct ResponseHeaders {
  long status = 0;
  std::string etag = {};
  std::string last_modified = {};
  std::string content_range = {};
};

// Takes one header line as libcurl hands it over (CRLF included). A status line starts a new
// block: a redirect and the answer it leads to each send their own.
void read_header_line(std::string_view line, ResponseHeaders& response);

// The validator naming the version a response carries: its strong ETag, else its
// Last-Modified; empty when it has neither. A weak ETag (W/"...") promises equivalent content,
// not the same bytes, so it cannot vouch for a byte range (If-Range needs a strong one).
std::string validator_of(const ResponseHeaders& response);

// Whether the answer to a resume, sent with `If-Range: validator`, carries the version the held
// bytes are of. A 200 is the whole resource again: it must name that version. A 206 came under
// our If-Range: naming no version it is ours, naming another its server ignored If-Range.
bool same_version(const ResponseHeaders& response, const std::string& validator);

// For an answer of the same version to a request for the bytes from `offset` on: how many
// leading bytes of its body the caller already holds and drops (a 200 from a server that
// ignores ranges repeats them all), or why it cannot continue them (its status, or a range
// starting elsewhere). offset 0: nothing is held, any answer goes.
Result<std::uint64_t> bytes_to_drop(const ResponseHeaders& response, std::uint64_t offset);

// Whether the answer to a resume from `offset` says the bytes held are the whole resource: a
// 416 whose Content-Range gives its size as `offset` ("bytes */SIZE", RFC 9110 section 14.4).
// Sent under our If-Range, it is of the held version (another would have come whole, as a
// 200); one naming another version is not. A run that stopped after the last byte and before
// it completed the file (a power cut while it hashed) would otherwise never finish.
bool holds_whole_resource(const ResponseHeaders& response, std::uint64_t offset, const std::string& validator);

// FILE.part.source, kept by `maculaos fetch` beside FILE.part: the URL and the validator of the
// version whose bytes FILE.part holds, one a line.
std::string part_source_text(const std::string& url, const std::string& validator);

// The validator a FILE.part may be resumed with, given its source's text: an error saying why
// not when the text names another URL or is not a source.
Result<std::string> part_source_validator(std::string_view text, const std::string& url);

}  // namespace macula
