// Feature-name patterns in harvest rules.
#pragma once

#include <string_view>

namespace lmharvest {

/// True when `text` matches `pattern`, where '*' matches any run of characters (also none) and
/// '?' matches exactly one. Case-sensitive, as license feature names are.
bool glob_match(std::string_view pattern, std::string_view text);

/// True when `pattern` contains '*' or '?'.
bool has_wildcard(std::string_view pattern);

} // namespace lmharvest
