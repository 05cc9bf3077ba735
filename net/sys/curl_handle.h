// A libcurl easy handle, owned; curl's global state set up once per process before the first.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "common/result.h"

namespace macula {

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

// Debian's bundle, used when no CA is given: our libcurl is built without a compiled-in CA path
// (a compiled-in path missing at run time makes every HTTPS request fail with error 77).
inline constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

// what: the transfer it is for, named in the error.
Result<CurlHandle> new_curl_handle(const std::string& what);

// What every transfer of ours has: TLS verified (peer and host name) against ca_file, or
// kSystemCaBundle when it is empty; curl's words for a failure in detail (CURL_ERROR_SIZE
// bytes); no signals (timeouts in threads); the answer's header lines and body to the
// callbacks, both given user.
void set_transfer_basics(CURL* h, const std::string& ca_file, char* detail, curl_write_callback on_header,
                         curl_write_callback on_body, void* user);

}  // namespace macula
