#include "qr/qr_code.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/process.h"
#include "tests/scratch_dir.h"

namespace macula {

namespace {

// The terminal's picture of qr_text: drawn (light) and blank (dark) cells, half blocks split
// into their two rows.
std::vector<std::vector<bool>> light_cells(const std::string& text, bool utf8) {
  std::vector<std::vector<bool>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!utf8) {
      std::vector<bool> row;
      for (size_t i = 0; i + 1 < line.size(); i += 2) row.push_back(line[i] == '#');
      rows.push_back(row);
      continue;
    }
    std::vector<bool> top, bottom;
    for (size_t i = 0; i < line.size();) {
      if (line[i] == ' ') {
        top.push_back(false), bottom.push_back(false), ++i;
        continue;
      }
      const std::string glyph = line.substr(i, 3);
      top.push_back(glyph == "\u2588" || glyph == "\u2580");
      bottom.push_back(glyph == "\u2588" || glyph == "\u2584");
      i += 3;
    }
    rows.push_back(top), rows.push_back(bottom);
  }
  return rows;
}

// What a phone's camera sees of the terminal, as a PGM file: light cells white, dark cells
// black, each 4x4 pixels, on a dark border like the terminal's.
std::string photograph(const std::vector<std::vector<bool>>& cells, const std::string& path) {
  constexpr int kScale = 4, kBorder = 8;
  const int width = static_cast<int>(cells.at(0).size()) * kScale + 2 * kBorder;
  const int height = static_cast<int>(cells.size()) * kScale + 2 * kBorder;
  std::ofstream out(path, std::ios::binary);
  out << "P5\n" << width << " " << height << "\n255\n";
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const int cx = (x - kBorder) / kScale, cy = (y - kBorder) / kScale;
      const bool inside = x >= kBorder && y >= kBorder && cy < static_cast<int>(cells.size()) &&
                          cx < static_cast<int>(cells[cy].size());
      out.put(inside && cells[cy][cx] ? char(255) : char(0));
    }
  return path;
}

}  // namespace

TEST_CASE("a QR code drawn for the terminal decodes to its text") {
  const std::string url = "http://macula-52540012ab.local";
  auto code = qr_encode(url);
  REQUIRE(code);
  ScratchDir scratch("qr");
  for (bool utf8 : {true, false}) {
    const std::string text = qr_text(*code, utf8);
    const auto cells = light_cells(text, utf8);
    CHECK(cells.at(0).size() == static_cast<size_t>(code->size + 4));
    // zbar reads the inverted (light on dark) code a terminal shows when asked to.
    auto decoded = run_command({"zbarimg", "--quiet", "--raw", "--nodbus", "-Stest-inverted",
                                photograph(cells, (scratch.path / "qr.pgm").string())});
    REQUIRE(decoded);
    CHECK(*decoded == url + "\n");
  }
}

TEST_CASE("the UTF-8 drawing fits two module rows in a line") {
  auto code = qr_encode("x");
  REQUIRE(code);
  const std::string text = qr_text(*code, true);
  const auto lines = std::count(text.begin(), text.end(), '\n');
  CHECK(lines == (code->size + 4 + 1) / 2);
  CHECK(text.starts_with("\u2588\u2588\u2588"));  // the quiet zone is drawn light
}

TEST_CASE("the SVG drawing has a unit square at each dark module, inside the quiet zone") {
  auto code = qr_encode("http://macula-52540012ab.local");
  REQUIRE(code);
  const std::string svg = qr_svg(*code);
  const std::string side = std::to_string(code->size + 8);
  CHECK(svg.find("viewBox=\"0 0 " + side + " " + side + "\"") != std::string::npos);
  QrMatrix drawn{code->size, std::vector<bool>(code->dark.size())};
  const std::regex square("M([0-9]+) ([0-9]+)h1v1h-1z");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), square); it != std::sregex_iterator(); ++it) {
    const int x = std::stoi((*it)[1]) - 4, y = std::stoi((*it)[2]) - 4;
    REQUIRE(x >= 0);
    REQUIRE(y >= 0);
    drawn.dark.at(static_cast<size_t>(y) * code->size + x) = true;
  }
  CHECK(drawn.dark == code->dark);
}

}  // namespace macula
