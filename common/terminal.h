// What the terminal at hand can show.
#pragma once

namespace macula {

// Whether it takes UTF-8: the locale in POSIX's order (LC_ALL, LC_CTYPE, LANG) names it. Block
// characters (progress bars, QR codes) need it; without it, ASCII.
bool terminal_utf8();

}  // namespace macula
