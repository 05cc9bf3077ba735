// The firewall's opening for the pairing page while the service runs (config/firewall.h's
// pairing set and cue), closed again when this is destroyed. With the firewall off there is
// nothing to open.
#pragma once

#include "common/result.h"

namespace macula {

class PairingPortOpening {
 public:
  static Result<PairingPortOpening> open();
  PairingPortOpening(PairingPortOpening&& other) noexcept : armed_(other.armed_) { other.armed_ = false; }
  PairingPortOpening& operator=(PairingPortOpening&&) = delete;
  ~PairingPortOpening();

  // What an opening leaves behind, removed whoever made it (after an exit that could not close
  // it): the port out of the set, the cue gone. Nothing there is no error.
  static void close_leftovers();

 private:
  PairingPortOpening() = default;
  bool armed_ = false;
};

}  // namespace macula
