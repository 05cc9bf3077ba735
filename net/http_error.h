// The kind of error a failed HTTP transfer is (common/result.h): a resource the server says is
// not there is not_found, so a script can tell a wrong URL or an unpublished release from a
// network or a server that failed; every other HTTP error is the network's.
#pragma once

#include "common/result.h"

namespace macula {

constexpr ErrorKind http_error_kind(long status) {
  return status == 404 || status == 410 ? ErrorKind::not_found : ErrorKind::network;
}

}  // namespace macula
