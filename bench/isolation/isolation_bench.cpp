// What running adapters in worker processes costs (issue 15), against the real service
// (service_100k.hpp: 100 FlexNet servers on the lmutil emulator, 1,000 sessions each), with
// isolation = "none" (Arg 0) and "process" (Arg 1) in the same run:
//  - BM_FirstCycle: from `lmharvest run` to all 100k sessions answered by the API (wall), the
//    CPU of the host, its workers and their lmutil runs meanwhile, the workers' private memory.
//  - BM_SteadyCycle: the CPU of one cycle of 100 polls (every server polled every 5 s),
//    counted from lmharvest_polls_total, while nothing else asks.
//
//   build/bench/isolation/isolation_bench --benchmark_repetitions=3
#include "service_100k.hpp"

#include <benchmark/benchmark.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace lmharvest::bench;

std::string read_proc(pid_t pid, const char* name) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Fields of /proc/PID/stat after the command's closing parenthesis (field 3 is index 0).
std::vector<std::string> stat_fields(pid_t pid) {
    const std::string line = read_proc(pid, "stat");
    const auto close = line.rfind(')');
    std::istringstream rest(close == std::string::npos ? "" : line.substr(close + 2));
    std::vector<std::string> fields;
    for (std::string field; rest >> field;)
        fields.push_back(field);
    return fields;
}

// CPU seconds of a process and of its children it has reaped (utime, stime, cutime, cstime).
double cpu_seconds(pid_t pid) {
    const std::vector<std::string> fields = stat_fields(pid);
    if (fields.size() < 15)
        return 0;
    double ticks = 0;
    for (int field = 14; field <= 17; ++field)
        ticks += std::stod(fields[static_cast<size_t>(field - 3)]);
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::vector<pid_t> workers_of(pid_t host) {
    std::vector<pid_t> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const pid_t pid = std::stoi(name);
        const std::vector<std::string> fields = stat_fields(pid);
        if (fields.size() > 1 && fields[1] == std::to_string(host) &&
            read_proc(pid, "cmdline").find("plugin-worker") != std::string::npos)
            found.push_back(pid);
    }
    return found;
}

// The host's CPU with its workers' (live workers are not yet in the host's cutime).
double service_cpu_seconds(pid_t host) {
    double total = cpu_seconds(host);
    for (pid_t worker : workers_of(host))
        total += cpu_seconds(worker);
    return total;
}

// Private memory of a process in kB (Private_Clean + Private_Dirty of smaps_rollup): what it
// costs beyond the pages it shares with the others (the binary, the plugin, libraries).
double private_kb(pid_t pid) {
    std::istringstream rollup(read_proc(pid, "smaps_rollup"));
    double kb = 0;
    for (std::string line; std::getline(rollup, line);)
        if (line.rfind("Private_Clean:", 0) == 0 || line.rfind("Private_Dirty:", 0) == 0)
            kb += std::atof(line.c_str() + line.find(':') + 1);
    return kb;
}

double polls_total(int port) {
    httplib::Client client("127.0.0.1", port);
    const auto answer = client.Get("/metrics");
    if (!answer || answer->status != 200)
        return -1;
    std::istringstream lines(answer->body);
    double total = 0;
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("lmharvest_polls_total{", 0) == 0)
            total += std::atof(line.c_str() + line.rfind(' ') + 1);
    return total;
}

std::string isolation_keys(const benchmark::State& state) {
    return state.range(0) == 1 ? "isolation = \"process\"\n" : "isolation = \"none\"\n";
}

void BM_FirstCycle(benchmark::State& state) {
    double cpu = 0, worker_private_kb = 0, host_rss_mb = 0, workers = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        Service running(isolation_keys(state), "1d");
        if (!running.wait_until_full()) {
            state.SkipWithError("the service did not store 100k sessions within 5 minutes");
            break;
        }
        state.SetIterationTime(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        cpu = service_cpu_seconds(running.pid());
        const std::vector<pid_t> pids = workers_of(running.pid());
        workers = static_cast<double>(pids.size());
        double kb = 0;
        for (pid_t pid : pids)
            kb += private_kb(pid);
        worker_private_kb = pids.empty() ? 0 : kb / static_cast<double>(pids.size());
        host_rss_mb = static_cast<double>(resident_kb(running.pid())) / 1024.0;
    }
    state.counters["cpu_s"] = cpu;
    state.counters["workers"] = workers;
    state.counters["worker_private_MB"] = worker_private_kb / 1024.0;
    state.counters["host_rss_MB"] = host_rss_mb;
}
BENCHMARK(BM_FirstCycle)
    ->ArgName("isolated")
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_SteadyCycle(benchmark::State& state) {
    Service running(isolation_keys(state), "5s");
    if (!running.wait_until_full()) {
        state.SkipWithError("the service did not store 100k sessions within 5 minutes");
        return;
    }
    double cpu_per_cycle = 0;
    for (auto _ : state) {
        const double polls_before = polls_total(running.port());
        const double cpu_before = service_cpu_seconds(running.pid());
        std::this_thread::sleep_for(std::chrono::seconds(20));
        const double cpu = service_cpu_seconds(running.pid()) - cpu_before;
        const double cycles = (polls_total(running.port()) - polls_before) / servers;
        if (cycles <= 0) {
            state.SkipWithError("no poll ran in 20 s");
            break;
        }
        cpu_per_cycle = cpu / cycles;
        state.SetIterationTime(cpu_per_cycle);
    }
    state.counters["cpu_ms_per_cycle"] = cpu_per_cycle * 1000;
}
BENCHMARK(BM_SteadyCycle)
    ->ArgName("isolated")
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
