#include "qr/qr_code.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace macula {

namespace {

constexpr int kQuietZone = 2;     // text: a terminal's black border adds to it
constexpr int kSvgQuietZone = 4;  // ISO/IEC 18004's quiet zone

struct QrcodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

Result<QrMatrix> qr_encode(std::string_view text) {
  const std::string data(text);
  std::unique_ptr<QRcode, QrcodeFree> code(
      QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M));
  if (!code) return fail_errno("QR code of '" + data + "' (" + std::to_string(data.size()) + " bytes)");
  QrMatrix matrix{code->width, std::vector<bool>(static_cast<size_t>(code->width) * code->width)};
  // libqrencode: one byte per module, its lowest bit set for a dark one.
  for (size_t i = 0; i < matrix.dark.size(); ++i) matrix.dark[i] = code->data[i] & 1;
  return matrix;
}

std::string qr_text(const QrMatrix& code, bool utf8) {
  const int side = code.size + 2 * kQuietZone;
  auto light = [&](int x, int y) {
    x -= kQuietZone;
    y -= kQuietZone;
    return x < 0 || y < 0 || x >= code.size || y >= code.size || !code.is_dark(x, y);
  };
  std::string out;
  if (!utf8) {
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) out += light(x, y) ? "##" : "  ";
      out += '\n';
    }
    return out;
  }
  // Rows in pairs: upper half block, lower half block, full block or a space. An odd last row
  // pairs with the quiet zone's light.
  for (int y = 0; y < side; y += 2) {
    for (int x = 0; x < side; ++x) {
      const bool top = light(x, y), bottom = y + 1 >= side || light(x, y + 1);
      out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    out += '\n';
  }
  return out;
}

std::string qr_svg(const QrMatrix& code) {
  const std::string side = std::to_string(code.size + 2 * kSvgQuietZone);
  std::string path;
  for (int y = 0; y < code.size; ++y)
    for (int x = 0; x < code.size; ++x)
      if (code.is_dark(x, y))
        path += "M" + std::to_string(x + kSvgQuietZone) + " " + std::to_string(y + kSvgQuietZone) + "h1v1h-1z";
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side +
         "\" shape-rendering=\"crispEdges\">\n<rect width=\"" + side + "\" height=\"" + side +
         "\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"" + path + "\"/>\n</svg>\n";
}

}  // namespace macula
