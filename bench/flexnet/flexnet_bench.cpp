// Parse throughput of the lmstat -a parser on a ~10 MB output (100k user lines) assembled from
// the real captures' line shapes, next to a plain newline count (`wc -l`) of the same buffer.
#include "big_lmstat.hpp"

#include <benchmark/benchmark.h>
#include <cstring>
#include <string>

using namespace lmharvest::flexnet;

namespace {

using namespace lmharvest::bench;

void BM_parse_lmstat(benchmark::State& state) {
    const std::string& output = big_lmstat_output();
    size_t sessions = 0;
    for (auto _ : state) {
        const LmstatResult result = parse_lmstat(output, poll_time);
        sessions = result.sessions.size();
        benchmark::DoNotOptimize(result.features.data());
    }
    if (sessions != user_lines_wanted)
        state.SkipWithError("the parser did not read every user line");
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * output.size()));
    state.counters["user_lines/s"] = benchmark::Counter(
        static_cast<double>(state.iterations() * sessions), benchmark::Counter::kIsRate);
    state.counters["MB"] = static_cast<double>(output.size()) / 1e6;
}
BENCHMARK(BM_parse_lmstat)->Unit(benchmark::kMillisecond);

// The floor: finding the line ends and nothing else.
void BM_count_lines_memchr(benchmark::State& state) {
    const std::string& output = big_lmstat_output();
    for (auto _ : state) {
        size_t lines = 0;
        for (const char *p = output.data(), *end = p + output.size();
             (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))));
             ++p)
            ++lines;
        benchmark::DoNotOptimize(lines);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * output.size()));
}
BENCHMARK(BM_count_lines_memchr)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
