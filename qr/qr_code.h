// QR codes of the node's address for the console (the wizard's Summary, the pairing screen)
// and the pairing page: encoded by libqrencode, drawn as text a phone can scan off a terminal,
// or as SVG.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

struct QrMatrix {
  int size = 0;              // modules per side
  std::vector<bool> dark;    // size*size, row by row
  bool is_dark(int x, int y) const { return dark[static_cast<size_t>(y) * size + x]; }
};

// text as a QR code (byte mode, error correction M: a screen photographed at an angle).
Result<QrMatrix> qr_encode(std::string_view text);

// Pure: the code as lines of text with a quiet zone of two modules. A terminal draws light
// text on a dark ground, so light modules are the drawn ones (phones read inverted codes).
// utf8: two rows of modules per line with half blocks (a 25-module code fits 80x24);
// otherwise "##" per light module, a row per line, for terminals without UTF-8.
std::string qr_text(const QrMatrix& code, bool utf8);

// Pure: the code as an SVG image (dark modules on white, a quiet zone of four modules as the
// standard asks of printed codes), one path of unit squares, scaled by the page that shows it.
std::string qr_svg(const QrMatrix& code);

}  // namespace macula
