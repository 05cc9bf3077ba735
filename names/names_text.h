// The names table (names/names.h) as the image's other languages take it: a shell file to
// source, and the @MACULA_...@ placeholders of GRUB's menus and the image's other files filled
// in. names_export writes both at build; pure, unit tested.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

// names.sh: one NAME='value' line for each exported name.
std::string names_shell_text();

// text with each @NAME@ (NAME: MACULA_ and capitals, digits, '_') replaced by its value. A
// name the table does not hold fails with "SOURCE:LINE: @NAME@ is not in the names table".
Result<std::string> substitute_names(std::string_view text, std::string_view source);

}  // namespace macula
