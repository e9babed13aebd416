#include "text/stable_hash.hpp"

#include <catch2/catch.hpp>
#include <string>

using lmharvest::text::stable_hash;

TEST_CASE("the stable hash is 64-bit FNV-1a, the same on every machine") {
    // The published FNV-1a values: a poll phase or a demo habit moves if these do.
    CHECK(stable_hash("") == 0xcbf29ce484222325ull);
    CHECK(stable_hash("a") == 0xaf63dc4c8601ec8cull);
    CHECK(stable_hash("foobar") == 0x85944171f73967e8ull);
    CHECK(stable_hash("j\xC3\xB6rg") == stable_hash(std::string("j\xC3\xB6rg")));
}
