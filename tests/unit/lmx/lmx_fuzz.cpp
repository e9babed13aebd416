// A seeded mutation loop over both LM-X parsers, built with ASan and UBSan: it runs for a
// bounded time and fails on any crash, sanitizer report, exception or broken invariant; the
// JSON writers run over every input and parsed field.
//   lmx_fuzz [seconds=20] [seed=1]
#include "close_token.hpp"
#include "json_fuzz_check.hpp"
#include "lmx_test_files.hpp"
#include "parse_lmx.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace lmharvest::lmx;

namespace {

// Pieces the mutator splices in, so that mutations reach deep parser states.
const std::vector<std::string> dictionary = {"\n",
                                             "\r\n",
                                             "<",
                                             ">",
                                             "/>",
                                             "\"",
                                             "=",
                                             "<USER ",
                                             "<USED>",
                                             "</USED>",
                                             "<FEATURE ",
                                             "</FEATURE>",
                                             "<LICENSE_PATH HOST=\"6200@x\">",
                                             "</LM-X>",
                                             "NAME=\"a\" ",
                                             "USED_LICENSES=\"-1\" ",
                                             "TOTAL_LICENSES=\"2147483647\" ",
                                             "LOGIN_TIME=\"2022-13-40 99:99\" ",
                                             "&amp;",
                                             "&#0;",
                                             "<![CDATA[",
                                             "Feature: ",
                                             " Version: ",
                                             " Vendor: ",
                                             "9999999999999999999999 of ",
                                             " license(s) used by ",
                                             "@",
                                             "[",
                                             "]",
                                             "Login time: ",
                                             "Checkout time: ",
                                             "Shared on ",
                                             "LM-X License Server on ",
                                             "----------------------------------------\n",
                                             std::string(1, '\0'),
                                             "\xff\xfe",
                                             "%",
                                             "|"};

std::string mutate(std::string input, std::mt19937_64& random) {
    const auto pick = [&](std::size_t n) {
        return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    const int steps = 1 + static_cast<int>(pick(8));
    for (int step = 0; step < steps; ++step) {
        const std::size_t at = pick(input.size() + 1);
        switch (pick(6)) {
        case 0: // flip a byte
            if (!input.empty())
                input[pick(input.size())] ^= static_cast<char>(1u << pick(8));
            break;
        case 1: // delete a run
            input.erase(at, pick(64));
            break;
        case 2: // insert a dictionary piece
            input.insert(at, dictionary[pick(dictionary.size())]);
            break;
        case 3: // duplicate a run elsewhere
            if (!input.empty()) {
                const std::size_t from = pick(input.size());
                input.insert(at, input.substr(from, pick(256)));
            }
            break;
        case 4: // cut the output short, as a killed tool leaves it
            input.resize(at);
            break;
        default: // random bytes
            for (std::size_t i = pick(8); i > 0; --i)
                input.insert(input.begin() + static_cast<std::ptrdiff_t>(pick(input.size() + 1)),
                             static_cast<char>(pick(256)));
        }
    }
    return input;
}

[[noreturn]] void fail(const std::string& what, const std::string& input) {
    std::fprintf(stderr, "lmx_fuzz: %s\ninput (%zu bytes):\n%s\n", what.c_str(), input.size(),
                 input.c_str());
    std::exit(1);
}

uint32_t line_count(const std::string& input) {
    uint32_t lines = 1;
    for (const char c : input)
        lines += c == '\n';
    return lines;
}

void check(const LmxResult& result, const std::string& input) {
    if (!result.ok &&
        (result.error.empty() || !result.features.empty() || !result.sessions.empty()))
        fail("a failed result must have an error and no records", input);
    const uint32_t lines = line_count(input);
    for (const LmxSkipped& skipped : result.skipped)
        if (skipped.line > lines || skipped.reason.empty() || skipped.text.size() > 203)
            fail("skipped entry out of range or without reason", input);
    for (const LmxFeature& feature : result.features)
        if (feature.name.empty() || feature.used < 0 || feature.total < -1)
            fail("feature without name or with a negative count", input);
    std::vector<std::string_view> fields;
    for (const LmxSession& session : result.sessions)
        fields.insert(fields.end(), {session.user, session.host, session.feature});
    if (const char* problem = lmharvest::testing::json_writers_problem(input, fields))
        fail(problem, input);
    for (const LmxSession& session : result.sessions) {
        if (session.user.empty() || session.host.empty() || session.count < 0)
            fail("session without user@host or with a negative count", input);
        const std::optional<CloseKey> key = decode_close_token(session.close_token);
        if (!key || key->user != session.user || key->host != session.host ||
            key->feature != session.feature || key->checkout != session.checkout_text)
            fail("close token does not round-trip", input);
    }
}

} // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 20.0;
    const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    using lmharvest::lmx::testing::fixture;
    using lmharvest::lmx::testing::reconstructed;
    const std::vector<std::string> seeds = {
        fixture("01-omnivector-altair-hyperworks.txt"), fixture("03-omnivector-no-servers.txt"),
        fixture("04-raysearch-fragment.txt"),
        reconstructed("01-omnivector-altair-hyperworks.reconstructed.xml"),
        reconstructed("04-raysearch-fragment.reconstructed.xml")};

    std::mt19937_64 random(seed);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    uint64_t runs = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        for (int batch = 0; batch < 64; ++batch, ++runs) {
            const std::string input = mutate(seeds[runs % seeds.size()], random);
            try {
                check(parse_lmx_text(input, 1700000000), input);
                check(parse_lmx_xml(input, 1700000000), input);
                check(parse_lmx(input, 1700000000), input);
            } catch (const std::exception& e) {
                fail(std::string("exception: ") + e.what(), input);
            }
        }
    }
    std::printf("lmx_fuzz: %llu inputs, seed %llu, no failure\n",
                static_cast<unsigned long long>(runs), static_cast<unsigned long long>(seed));
    return 0;
}
