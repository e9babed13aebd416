// Tokens and roles: SHA-256 against published vectors, the access table, and the verdict for
// every role on every kind of route, with host.open_read on and off.
#include "api/authorization.hpp"
#include "auth/random_token.hpp"
#include "auth/sha256.hpp"
#include "auth/token_match.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

TEST_CASE("SHA-256 gives the FIPS 180-2 and NIST test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("new tokens are 64 hex digits and never repeat") {
    const auto a = random_token();
    const auto b = random_token();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->size() == 64);
    CHECK(a->find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(*a != *b);
}

TEST_CASE("a presented token is found by its hash; agent tokens cover only their hosts") {
    const std::vector<TokenConfig> tokens = {
        {"view", Role::viewer, sha256_hex("secret-1"), {}},
        {"agent", Role::agent, sha256_hex("secret-2"), {"ws-*", "LAB?"}},
    };
    CHECK(find_token("secret-2", tokens)->name == "agent");
    CHECK_FALSE(find_token("secret-3", tokens));
    CHECK_FALSE(find_token(sha256_hex("secret-1"), tokens)); // the hash itself is no token
    CHECK(same_secret("abc", "abc"));
    CHECK_FALSE(same_secret("abc", "abd"));
    CHECK_FALSE(same_secret("abc", "abcd"));
    CHECK(token_covers_host(tokens[1], "WS-17.corp"));
    CHECK(token_covers_host(tokens[1], "lab1"));
    CHECK_FALSE(token_covers_host(tokens[1], "render-01"));
    CHECK(token_covers_host(tokens[0], "anything")); // only agent tokens are bound
}

TEST_CASE("the access table: open health and metrics, reads, closes, the agent protocol") {
    CHECK(required_access("GET", "/healthz") == Access::open);
    CHECK(required_access("GET", "/metrics") == Access::open);
    CHECK(required_access("GET", "/api/v1/sessions") == Access::read);
    CHECK(required_access("HEAD", "/api/v1/servers") == Access::read);
    CHECK(required_access("GET", "/api/v1/agents") == Access::read);
    CHECK(required_access("POST", "/api/v1/sessions/12/close") == Access::close);
    CHECK(required_access("POST", "/api/v1/agents/report") == Access::agent);
    CHECK(required_access("GET", "/api/v1/agents/ws-1/commands") == Access::agent);
    CHECK(required_access("POST", "/api/v1/servers") == Access::admin); // no rule: admin only
    CHECK(required_access("DELETE", "/api/v1/sessions/12/close") == Access::admin);
}

namespace {

const TokenConfig file_token = api_token_file_entry("file-secret");

Config config_with_tokens(bool open_read) {
    Config config;
    config.host.open_read = open_read;
    config.tokens = {{"v", Role::viewer, sha256_hex("tv"), {}},
                     {"o", Role::operator_, sha256_hex("to"), {}},
                     {"a", Role::admin, sha256_hex("ta"), {}},
                     {"g", Role::agent, sha256_hex("tg"), {"ws-*"}}};
    return config;
}

// The status a request gets before its route: 0 when it may go on.
int verdict(const Config& config, const char* method, const char* path, const std::string& auth) {
    const auto refusal = authorize(method, path, auth, config, file_token);
    return refusal ? refusal->status : 0;
}

} // namespace

TEST_CASE("every role on every kind of route, reads closed") {
    const Config config = config_with_tokens(false);
    struct Row {
        const char* method;
        const char* path;
        int none, viewer, operator_, admin, agent;
    };
    const Row rows[] = {
        {"GET", "/healthz", 0, 0, 0, 0, 0},
        {"GET", "/metrics", 0, 0, 0, 0, 0},
        {"GET", "/api/v1/servers", 401, 0, 0, 0, 403},
        {"GET", "/api/v1/sessions", 401, 0, 0, 0, 403},
        {"POST", "/api/v1/sessions/3/close", 401, 403, 0, 0, 403},
        {"POST", "/api/v1/agents/report", 401, 403, 403, 0, 0},
        {"POST", "/api/v1/harvest/run", 401, 403, 403, 0, 403},
    };
    for (const Row& row : rows) {
        INFO(row.method << ' ' << row.path);
        CHECK(verdict(config, row.method, row.path, "") == row.none);
        CHECK(verdict(config, row.method, row.path, "Bearer tv") == row.viewer);
        CHECK(verdict(config, row.method, row.path, "Bearer to") == row.operator_);
        CHECK(verdict(config, row.method, row.path, "Bearer ta") == row.admin);
        CHECK(verdict(config, row.method, row.path, "Bearer tg") == row.agent);
        CHECK(verdict(config, row.method, row.path, "bearer file-secret") == row.admin);
    }
    const auto refusal =
        authorize("POST", "/api/v1/sessions/3/close", "Bearer tv", config, file_token);
    REQUIRE(refusal);
    CHECK(refusal->message == "token 'v' has role viewer; POST /api/v1/sessions/3/close needs "
                              "operator or admin");
    CHECK(verdict(config, "GET", "/api/v1/servers", "Bearer nope") == 401);
    CHECK(verdict(config, "GET", "/api/v1/servers", "Basic dTpw") == 401);
    CHECK(verdict(config, "GET", "/metrics", "Bearer nope") == 0); // not even looked at
}

TEST_CASE("open_read lets anyone read, and nothing more") {
    const Config config = config_with_tokens(true);
    CHECK(verdict(config, "GET", "/api/v1/sessions", "") == 0);
    CHECK(verdict(config, "GET", "/api/v1/sessions", "Bearer tg") == 0);
    CHECK(verdict(config, "GET", "/api/v1/sessions", "Bearer wrong") == 401); // a typo shows
    CHECK(verdict(config, "POST", "/api/v1/sessions/3/close", "") == 401);
    CHECK(verdict(config, "POST", "/api/v1/sessions/3/close", "Bearer tv") == 403);
    CHECK(verdict(config, "POST", "/api/v1/agents/report", "") == 401);
}

TEST_CASE("identify names the caller, the api-token file's token as local-admin") {
    const Config config = config_with_tokens(false);
    CHECK((*identify("Bearer to", config, file_token))->name == "o");
    CHECK((*identify("Bearer   file-secret", config, file_token))->name == "local-admin");
    CHECK_FALSE(*identify("", config, file_token));
    CHECK(identify("Token to", config, file_token).error().message ==
          "Authorization: use the Bearer scheme, \"Authorization: Bearer <token>\"");
}
