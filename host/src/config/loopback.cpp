#include "config/loopback.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace lmharvest {

bool is_loopback_name(std::string_view host) {
    std::string name(host);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name == "localhost" || name == "::1" || name.rfind("127.", 0) == 0;
}

} // namespace lmharvest
