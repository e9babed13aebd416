// SHA-256 (OpenSSL's libcrypto), as [[tokens]] store a token: the host never keeps the secret.
#pragma once

#include <string>
#include <string_view>

namespace lmharvest {

/// The SHA-256 of `text` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view text);

/// `size` bytes as lower-case hex digits, two per byte.
std::string to_hex(const unsigned char* bytes, std::size_t size);

/// True when `a` and `b` are equal, in a time that does not depend on where they differ.
bool same_secret(std::string_view a, std::string_view b);

} // namespace lmharvest
