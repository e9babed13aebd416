// New API tokens: 32 bytes from the kernel's CSPRNG (through OpenSSL), as 64 hex digits.
#pragma once

#include "common/expected.hpp"

#include <string>

namespace lmharvest {

/// A new token, or an error when the random generator failed (never a weak token).
Expected<std::string> random_token();

} // namespace lmharvest
