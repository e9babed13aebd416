// Parse throughput of the LM-X parsers on about 10 MB of XML and of text built in the shapes of
// the real capture (fixtures/lmx/01), next to a plain line scan (memchr for '\n') of the same
// buffers as the floor no line-based reader can beat.
#include "parse_lmx.hpp"

#include <benchmark/benchmark.h>
#include <cstring>
#include <string>

using namespace lmharvest::lmx;

namespace {

constexpr std::size_t target_bytes = 10 * 1024 * 1024;
constexpr int users_per_feature = 4;

struct Checkout {
    std::string user, host, ip;
};

Checkout checkout(int feature, int user) {
    const int n = feature * users_per_feature + user;
    return {"user" + std::to_string(n % 997), "RD" + std::to_string(1000000 + n % 4093),
            "10." + std::to_string(n / 65536 % 256) + "." + std::to_string(n / 256 % 256) + "." +
                std::to_string(n % 256)};
}

std::string feature_name(int feature) {
    return "HyperWorksModule" + std::to_string(feature);
}

// fixture 01's text layout, one feature block after another.
std::string build_text() {
    std::string out = "LM-X End-user Utility v3.32\n"
                      "Copyright (C) 2002-2010 X-Formation. All rights reserved.\n\n"
                      "++++++++++++++++++++++++++++++++++++++++\n"
                      "LM-X License Server on 6200@licserv0013.com:\n\n"
                      "Server version: v5.1 Uptime: 3 day(s) 12 hour(s) 0 min(s) 51 sec(s)\n";
    for (int f = 0; out.size() < target_bytes; ++f) {
        out += "----------------------------------------\nFeature: " + feature_name(f) +
               " Version: 21.0 Vendor: ALTAIR\nStart date: 2022-02-17 Expire date: 2023-01-31\n"
               "Key type: EXCLUSIVE License sharing: CUSTOM VIRTUAL\n\n" +
               std::to_string(users_per_feature * 15000) + " of 2147483647 license(s) used:\n";
        for (int u = 0; u < users_per_feature; ++u) {
            const Checkout c = checkout(f, u);
            out += "\n15000 license(s) used by " + c.user + "@" + c.host + " [" + c.ip +
                   "]\nLogin time: 2022-02-18 09:26   Checkout time: 2022-02-18 09:29 \n"
                   "Shared on custom string: " +
                   c.user + ":" + c.host + " \n";
        }
    }
    return out;
}

// The reconstructed XML shape, users in FEATURE/USED/USER and FEATURE/USER alternately.
std::string build_xml() {
    std::string out = "LM-X End-user Utility v3.32\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<LM-X>\n  <LICENSE_PATH TYPE=\"NETWORK\" HOST=\"6200@licserv0013.com\" "
                      "SERVER_VERSION=\"5.1\" UPTIME=\"3 day(s)\" STATUS=\"SUCCESS\">\n";
    for (int f = 0; out.size() < target_bytes; ++f) {
        const bool used = f % 2 == 0;
        out += "    <FEATURE NAME=\"" + feature_name(f) +
               "\" VERSION=\"21.0\" VENDOR=\"ALTAIR\" START=\"2022-02-17\" END=\"2023-01-31\" "
               "USED_LICENSES=\"60000\" TOTAL_LICENSES=\"2147483647\" SHARE=\"CUSTOM ,VIRTUAL\">\n";
        if (used)
            out += "      <USED>\n";
        for (int u = 0; u < users_per_feature; ++u) {
            const Checkout c = checkout(f, u);
            out += "        <USER NAME=\"" + c.user + "\" HOST=\"" + c.host + "\" IP=\"" + c.ip +
                   "\" USED_LICENSES=\"15000\" LOGIN_TIME=\"2022-02-18 09:26\" "
                   "CHECKOUT_TIME=\"2022-02-18 09:29\" SHARE_CUSTOM=\"" +
                   c.user + ":" + c.host + "\"/>\n";
        }
        if (used)
            out += "      </USED>\n";
        out += "    </FEATURE>\n";
    }
    return out + "  </LICENSE_PATH>\n</LM-X>\n";
}

const std::string& text_buffer() {
    static const std::string buffer = build_text();
    return buffer;
}

const std::string& xml_buffer() {
    static const std::string buffer = build_xml();
    return buffer;
}

void report(benchmark::State& state, std::size_t bytes, std::size_t users) {
    state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
    state.counters["users/s"] =
        benchmark::Counter(static_cast<double>(users) * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
}

template <class Parse>
void parse_benchmark(benchmark::State& state, const std::string& buffer, Parse parse) {
    std::size_t users = 0;
    for (auto _ : state) {
        const LmxResult result = parse(buffer, 1700000000);
        users = result.sessions.size();
        benchmark::DoNotOptimize(users);
    }
    if (users == 0)
        state.SkipWithError("the parser read no users");
    report(state, buffer.size(), users);
}

std::size_t count_lines(const std::string& buffer) {
    std::size_t lines = 0;
    const char* at = buffer.data();
    const char* const end = at + buffer.size();
    while (const void* found = std::memchr(at, '\n', static_cast<std::size_t>(end - at))) {
        ++lines;
        at = static_cast<const char*>(found) + 1;
    }
    return lines;
}

void line_scan_benchmark(benchmark::State& state, const std::string& buffer) {
    for (auto _ : state)
        benchmark::DoNotOptimize(count_lines(buffer));
    // Same users as the parser found, so users/s compares like with like.
    report(state, buffer.size(), parse_lmx(buffer, 0).sessions.size());
}

void BM_ParseText(benchmark::State& state) {
    parse_benchmark(state, text_buffer(), parse_lmx_text);
}
void BM_LineScanText(benchmark::State& state) {
    line_scan_benchmark(state, text_buffer());
}
void BM_ParseXml(benchmark::State& state) {
    parse_benchmark(state, xml_buffer(), parse_lmx_xml);
}
void BM_LineScanXml(benchmark::State& state) {
    line_scan_benchmark(state, xml_buffer());
}

} // namespace

BENCHMARK(BM_ParseText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LineScanText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseXml)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LineScanXml)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
