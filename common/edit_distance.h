// How far one word is from another: what "did you mean" chooses by.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace macula {

// Damerau-Levenshtein distance, optimal string alignment: the fewest insertions, deletions,
// substitutions and swaps of two neighbouring characters that turn a into b (a typo's usual
// forms: hostnme, hsotname, hostnaem).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to word, when it is near enough to be what was meant: at most 2 edits,
// and fewer than a third of the candidate (so `ab` does not suggest `k3s`); the first of equals.
std::optional<std::string_view> nearest_word(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace macula
