// The wait for an answer on the consoles (init's passphrase question), apart from the
// terminals: the first line typed on any console is the answer. A console whose line hangs up
// (a serial cable pulled, a console server gone: read returns 0 from then on) is closed, not
// polled again, which would spin PID 1; when every console has hung up, they are opened again
// after a pause, and asked again.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"

namespace macula {

class ConsoleLines {
 public:
  virtual ~ConsoleLines() = default;
  // Opens the consoles and asks the question on each: how many are open.
  virtual std::size_t open_and_ask() = 0;
  // Waits until some open consoles have input or have hung up: their indices.
  virtual Result<std::vector<std::size_t>> wait() = 0;
  // What console i gives: a line's bytes, "" at its end (hung up), or an error.
  virtual Result<std::string> read(std::size_t i) = 0;
  virtual void close(std::size_t i) = 0;
  // Every console hung up: waits before they are opened again.
  virtual void pause() = 0;
};

// The line typed (its newline taken off); an error when there is no console at all.
Result<std::string> wait_for_answer(ConsoleLines& consoles);

}  // namespace macula
