#include "auth/random_token.hpp"

#include "auth/sha256.hpp"

#include <openssl/rand.h>

namespace lmharvest {

Expected<std::string> random_token() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return unexpected(std::string("cannot get random bytes for a token (OpenSSL RAND_bytes "
                                      "failed); try again"));
    return to_hex(bytes, sizeof bytes);
}

} // namespace lmharvest
