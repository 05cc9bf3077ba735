#include "common/result.h"

#include <cstring>

namespace macula {

std::string Error::text() const {
  if (code == 0) return message;
  return message + ": " + std::strerror(code);
}

}  // namespace macula
