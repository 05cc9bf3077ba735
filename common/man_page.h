// Man pages (roff, section 8) made from the applet table's usage texts: `man maculaos-upgrade`
// says what `maculaos upgrade --help` says, and cannot fall behind it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/applet.h"

namespace macula {

// The page's name: NAME for an applet also run under its own name (macula-install), else
// maculaos-NAME.
std::string man_page_name(const Applet& applet);

// The applet's page: NAME and its summary, the synopsis (the usage text's first paragraph), the
// rest of the usage text as written (its columns kept), the exit statuses, maculaos(8).
std::string man_page(const Applet& applet);

// maculaos(8): the command list, and each command's page.
std::string umbrella_man_page(std::span<const Applet> applets);

// text as roff lines taken literally: backslashes escaped, a line's leading . or ' defused.
std::string roff_literal(std::string_view text);

}  // namespace macula
