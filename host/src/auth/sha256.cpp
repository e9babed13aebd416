#include "auth/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace lmharvest {

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < size; ++i) {
        out += hex[bytes[i] >> 4];
        out += hex[bytes[i] & 0xf];
    }
    return out;
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return to_hex(digest, sizeof digest);
}

bool same_secret(std::string_view a, std::string_view b) {
    // The lengths are no secret (a hash always has 64 digits); the bytes are.
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace lmharvest
