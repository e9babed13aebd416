// "Did you mean ...?" for misspelt keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

/// The candidate closest to `typo` by edit distance, when it is close enough to be a likely
/// misspelling (at most a third of the word's letters, and at least one, differ).
std::optional<std::string> nearest_name(std::string_view typo,
                                        const std::vector<std::string>& candidates);

} // namespace lmharvest
