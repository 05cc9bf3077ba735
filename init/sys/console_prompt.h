// Asking the person at the console (init's only question: an encrypted state's passphrase).
// The question goes to every console of the command line (tty1 and the serial port, where a
// BMC or a test reads), and the first line typed on any of them is the answer.
#pragma once

#include <span>
#include <string>

#include "common/result.h"

namespace macula {

// consoles: console= values (tty1, ttyS0,115200n8); none means /dev/console. secret: the
// answer is not echoed. Waits as long as it takes: a console that hangs up is closed, and when
// all have, they are opened again every few seconds (init/console_question.h).
Result<std::string> ask_consoles(std::span<const std::string> consoles, const std::string& question, bool secret);

// Says a line on every console.
void tell_consoles(std::span<const std::string> consoles, const std::string& line);

}  // namespace macula
