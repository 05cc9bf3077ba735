#include "net/http_error.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("an HTTP answer that the resource is not there is not_found, any other failure the network's") {
  CHECK(http_error_kind(404) == ErrorKind::not_found);
  CHECK(http_error_kind(410) == ErrorKind::not_found);
  for (long status : {0L, 400L, 401L, 403L, 416L, 500L, 503L}) {
    INFO(status);
    CHECK(http_error_kind(status) == ErrorKind::network);
  }
}

}  // namespace
}  // namespace macula
