#include "config/file_content.h"

#include <mbedtls/base64.h>
#include <zlib.h>

#include <cctype>
#include <vector>

namespace macula {

namespace {

// YAML block scalars and cloud-init's examples wrap base64 across lines: whitespace is dropped.
Result<std::string> from_base64(std::string_view text) {
  std::string compact;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
  std::size_t size = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(compact.data());
  if (mbedtls_base64_decode(nullptr, 0, &size, in, compact.size()) == MBEDTLS_ERR_BASE64_INVALID_CHARACTER)
    return fail("content: not valid base64");
  std::string out(size, '\0');
  if (mbedtls_base64_decode(reinterpret_cast<unsigned char*>(out.data()), out.size(), &size, in, compact.size()) != 0)
    return fail("content: not valid base64");
  out.resize(size);
  return out;
}

Result<std::string> from_gzip(std::string_view data) {
  z_stream stream{};
  // 16 + MAX_WBITS: a gzip header and trailer (not a bare zlib stream)
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return fail("content: zlib: out of memory");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  std::vector<char> chunk(64 << 10);
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - stream.avail_out);
    if (out.size() > kMaxWrittenFileBytes) status = Z_MEM_ERROR;
    if (status == Z_BUF_ERROR && stream.avail_in == 0) status = Z_DATA_ERROR;  // cut short
  }
  inflateEnd(&stream);
  if (out.size() > kMaxWrittenFileBytes) return fail("content: inflates past 64 MiB");
  if (status != Z_STREAM_END) return fail("content: not valid gzip data");
  return out;
}

}  // namespace

Result<std::string> decode_file_content(std::string_view content, std::string_view encoding) {
  if (encoding.empty()) return std::string(content);
  if (encoding == "b64" || encoding == "base64") return from_base64(content);
  if (encoding == "gz" || encoding == "gzip") return from_gzip(content);
  auto raw = from_base64(content);
  if (!raw) return raw;
  return from_gzip(*raw);
}

}  // namespace macula
