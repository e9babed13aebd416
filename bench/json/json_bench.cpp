// The large JSON answers, old way against new in the same run (the machine is noisy: compare
// ratios). See docs/performance.md.
//   - the whole `lmharvest parse flexnet FILE --json > /dev/null` process on the ~10 MB lmstat
//     output, next to a Python parse of the same file by omnivector license-manager's
//     lm_agent/parsing/flexlm.py when LH_BENCH_LM_AGENT names its lm-agent folder (the code
//     is never part of this repository), and next to an older lmharvest binary when
//     LH_BENCH_OLD_LMHARVEST names one;
//   - 100k open sessions rendered as GET /api/v1/sessions answers them: nlohmann DOM + dump(2)
//     (before) against the streaming writer.
#include "big_lmstat.hpp"

#include "json/records_json.hpp"
#include "json/safe_dump.hpp"
#include <algorithm>
#include <benchmark/benchmark.h>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace lmharvest;

const std::string& big_lmstat_file() {
    static const std::string path = [] {
        const fs::path file = fs::temp_directory_path() / "lmharvest-json-bench-lmstat.txt";
        std::ofstream(file, std::ios::binary) << bench::big_lmstat_output();
        return file.string();
    }();
    return path;
}

// Runs argv to its end with stdout to /dev/null; the exit code, or -1. Adds the child's CPU
// time (user + system) to `cpu_seconds`: on a shared machine the wall time mostly measures
// waiting for a core.
int run_quietly(const std::vector<std::string>& args, double& cpu_seconds) {
    std::vector<char*> argv;
    for (const std::string& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    struct rusage usage {};
    if (spawned != 0 || wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status))
        return -1;
    const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    cpu_seconds += seconds(usage.ru_utime) + seconds(usage.ru_stime);
    return WEXITSTATUS(status);
}

void time_process(benchmark::State& state, const std::vector<std::string>& args) {
    double cpu_seconds = 0;
    for (auto _ : state)
        if (run_quietly(args, cpu_seconds) != 0) {
            state.SkipWithError(("failed: " + args[0]).c_str());
            break;
        }
    state.counters["child_cpu_ms"] =
        1000 * cpu_seconds / static_cast<double>(std::max<int64_t>(state.iterations(), 1));
    state.SetBytesProcessed(
        static_cast<int64_t>(state.iterations() * bench::big_lmstat_output().size()));
}

std::vector<std::string> parse_args(const std::string& binary) {
    return {binary,
            "parse",
            "flexnet",
            big_lmstat_file(),
            "--json",
            "--now",
            "2026-01-01T00:00",
            "--plugin-dir",
            LH_PLUGIN_BUILD_DIR};
}

void BM_lmharvest_parse_json_process(benchmark::State& state) {
    time_process(state, parse_args(LH_LMHARVEST_BINARY));
}
BENCHMARK(BM_lmharvest_parse_json_process)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_lmharvest_parse_json_process_old_binary(benchmark::State& state) {
    const char* old = std::getenv("LH_BENCH_OLD_LMHARVEST");
    if (!old)
        return state.SkipWithError("set LH_BENCH_OLD_LMHARVEST to an older lmharvest binary");
    time_process(state, parse_args(old));
}
BENCHMARK(BM_lmharvest_parse_json_process_old_binary)->Unit(benchmark::kMillisecond)->UseRealTime();

// The Python process as its users run it: interpreter start, imports (pydantic), parse.
void BM_python_flexlm_process(benchmark::State& state) {
    const char* lm_agent = std::getenv("LH_BENCH_LM_AGENT");
    if (!lm_agent)
        return state.SkipWithError("set LH_BENCH_LM_AGENT to license-manager's lm-agent folder");
    const std::string script = "import sys; sys.path.insert(0, sys.argv[1]); "
                               "from lm_agent.parsing import flexlm; "
                               "flexlm.parse(open(sys.argv[2]).read())";
    time_process(state, {"python3", "-c", script, lm_agent, big_lmstat_file()});
}
BENCHMARK(BM_python_flexlm_process)->Unit(benchmark::kMillisecond)->UseRealTime();

// 100k open sessions as the store returns them, built from the big output's user lines.
const std::vector<SessionRecord>& open_sessions() {
    static const std::vector<SessionRecord> records = [] {
        const std::string& text = bench::big_lmstat_output();
        const flexnet::LmstatResult parsed = flexnet::parse_lmstat(text, bench::poll_time);
        std::vector<SessionRecord> out;
        out.reserve(parsed.sessions.size());
        for (const flexnet::Session& s : parsed.sessions) {
            SessionRecord record;
            record.id = static_cast<int64_t>(out.size()) + 1;
            record.server = "eng-flex";
            record.session.vendor = parsed.features[s.feature_index].vendor;
            record.session.feature = parsed.features[s.feature_index].name;
            record.session.version = s.version;
            record.session.user = s.user;
            record.session.host = s.host;
            record.session.display = s.display;
            record.session.server = s.server_host;
            record.session.handle = s.handle;
            record.session.count = s.count;
            record.session.checkout_time = s.checkout_time;
            record.session.linger_seconds = s.linger_seconds;
            record.session.pid = s.pid;
            record.first_seen = bench::poll_time - 3600;
            record.last_seen = bench::poll_time;
            out.push_back(std::move(record));
        }
        return out;
    }();
    return records;
}

void BM_sessions_nlohmann_dom_dump(benchmark::State& state) {
    const auto& records = open_sessions();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string text = safe_dump(to_json_array(records), 2);
        bytes = text.size();
        benchmark::DoNotOptimize(text.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    state.counters["sessions"] = static_cast<double>(records.size());
    state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_sessions_nlohmann_dom_dump)->Unit(benchmark::kMillisecond);

void BM_sessions_streamed(benchmark::State& state) {
    const auto& records = open_sessions();
    std::size_t bytes = 0;
    for (auto _ : state) {
        bytes = 0;
        const bool written = write_json(records, [&bytes](std::string_view piece) {
            bytes += piece.size();
            benchmark::DoNotOptimize(piece.data());
            return true;
        });
        if (!written)
            return state.SkipWithError("the writer reported a refused sink");
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    state.counters["sessions"] = static_cast<double>(records.size());
    state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_sessions_streamed)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
