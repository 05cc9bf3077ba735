#include "support/secret_scrub.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "encryption/recovery_passphrase.h"

namespace macula {

namespace {

constexpr std::array<std::string_view, 10> kSecretWords = {
    "password", "passwd", "passphrase", "token", "secret", "credential",
    "private_key", "private-key", "privatekey", "api_key",
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }
bool blank(char c) { return c == ' ' || c == '\t'; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Where the value after a secret key's name starts and ends in text, the name's first
// letter at `at`, or nothing when no value follows it.
bool value_after_key(std::string_view text, std::size_t at, std::size_t word_size, std::size_t& begin, std::size_t& end) {
  std::size_t i = at + word_size;
  while (i < text.size() && word_char(text[i])) ++i;  // the rest of the name: k3s_token, passwords
  if (i < text.size() && (text[i] == '"' || text[i] == '\'')) ++i;
  while (i < text.size() && blank(text[i])) ++i;
  if (i < text.size() && (text[i] == ':' || text[i] == '=')) {
    ++i;
  } else {
    // `--token VALUE`: a command-line option and its value
    std::size_t name = at;
    while (name > 0 && word_char(text[name - 1])) --name;
    if (text.substr(name, 2) != "--" || !blank(text[i - 1])) return false;
  }
  while (i < text.size() && blank(text[i])) ++i;
  char quote = 0;
  if (i < text.size() && (text[i] == '"' || text[i] == '\'')) quote = text[i++];
  begin = i;
  while (i < text.size() && text[i] != '\n' &&
         (quote ? text[i] != quote : !blank(text[i]) && text[i] != ',' && text[i] != '}' && text[i] != ';' && text[i] != '&'))
    ++i;
  end = i;
  return end > begin;
}

// A span of text to hide: [begin, end), with what stands in its place.
struct Hidden {
  std::size_t begin, end;
  std::string_view with;
};

void keyed_values(std::string_view text, const std::string& folded, std::vector<Hidden>& out) {
  for (std::string_view word : kSecretWords)
    for (std::size_t at = folded.find(word); at != std::string::npos; at = folded.find(word, at + 1)) {
      std::size_t begin = 0, end = 0;
      if (value_after_key(text, at, word.size(), begin, end)) out.push_back({begin, end, kHidden});
    }
}

// K10<hex>::<user>:<password>, k3s's join token: hidden whole, wherever it is.
void k3s_tokens(std::string_view text, std::vector<Hidden>& out) {
  for (std::size_t at = text.find("K10"); at != std::string_view::npos; at = text.find("K10", at + 1)) {
    std::size_t i = at + 3;
    while (i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i - at < 3 + 16 || text.substr(i, 2) != "::") continue;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '"' && text[i] != '\'' && text[i] != ',') ++i;
    out.push_back({at, i, kHidden});
  }
}

// -----BEGIN ... PRIVATE KEY----- to its END line (or to the end of text, when cut off).
void private_keys(std::string_view text, std::vector<Hidden>& out) {
  for (std::size_t at = text.find("-----BEGIN "); at != std::string_view::npos; at = text.find("-----BEGIN ", at + 1)) {
    const std::size_t line_end = std::min(text.find('\n', at), text.size());
    if (text.substr(at, line_end - at).find("PRIVATE KEY-----") == std::string_view::npos) continue;
    std::size_t end = text.find("-----END ", line_end);
    if (end != std::string_view::npos) end = text.find("-----", end + 9);
    end = end == std::string_view::npos ? text.size() : end + 5;
    out.push_back({at, end, "<private key hidden>"});
  }
}

// $ID$...: crypt(3)'s hashes of passwords ($1$, $5$, $6$, $y$, $2b$, ...), to the next blank.
void password_hashes(std::string_view text, std::vector<Hidden>& out) {
  for (std::size_t at = text.find('$'); at != std::string_view::npos; at = text.find('$', at + 1)) {
    std::size_t i = at + 1;
    while (i < text.size() && i - at <= 3 && std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
    if (i == at + 1 || i - at > 3 || i + 1 >= text.size() || text[i] != '$' || !word_char(text[i + 1])) continue;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '"' && text[i] != '\'') ++i;
    out.push_back({at, i, kHidden});
  }
}

void recovery_passphrases(std::string_view text, std::vector<Hidden>& out) {
  constexpr std::size_t kLength = 8 * 4 + 7;
  for (std::size_t at = 0; at + kLength <= text.size(); ++at)
    if (is_recovery_passphrase(text.substr(at, kLength))) {
      out.push_back({at, at + kLength, kHidden});
      at += kLength - 1;
    }
}

}  // namespace

std::string scrub_secrets(std::string_view text) {
  std::vector<Hidden> hidden;
  keyed_values(text, lower(text), hidden);
  k3s_tokens(text, hidden);
  private_keys(text, hidden);
  password_hashes(text, hidden);
  recovery_passphrases(text, hidden);
  // overlapping spans merge, the first one's replacement standing for them
  std::ranges::sort(hidden, [](const Hidden& a, const Hidden& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t done = 0;
  for (const Hidden& h : hidden) {
    if (h.end <= done) continue;
    if (h.begin >= done) {
      out.append(text.substr(done, h.begin - done));
      out.append(h.with);
    }
    done = h.end;
  }
  out.append(text.substr(done));
  return out;
}

}  // namespace macula
