// Something an effect holds until it is destroyed, known by a path: a mount (its directory),
// a loop device or an open encrypted volume (its /dev node). Behind an interface so that the
// sequences that hold them (the upgrade, the install) run against fakes in unit tests.
#pragma once

#include <string>

namespace macula {

class Held {
 public:
  virtual ~Held() = default;
  virtual const std::string& path() const = 0;
};

}  // namespace macula
