// Whether an address only this machine can reach: "localhost", "::1" or 127.x.x.x.
#pragma once

#include <string_view>

namespace lmharvest {

bool is_loopback_name(std::string_view host);

} // namespace lmharvest
