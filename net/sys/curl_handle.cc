#include "net/sys/curl_handle.h"

#include <mutex>

namespace macula {

Result<CurlHandle> new_curl_handle(const std::string& what) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return fail(what + ": cannot create a curl handle");
  return curl;
}

void set_transfer_basics(CURL* h, const std::string& ca_file, char* detail, curl_write_callback on_header,
                         curl_write_callback on_body, void* user) {
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_CAINFO, ca_file.empty() ? kSystemCaBundle : ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, user);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, user);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
}

}  // namespace macula
