// The API at scale, measured against the real service: `lmharvest run` with 100 FlexNet
// servers, each the lmutil emulator printing 1,000 user lines (100k open sessions), polled every
// 10 s while the benchmarks ask. Each request is a new connection, as the API serves one
// request per connection. Latencies are per request, p50 and p99 as counters.
//
//   build/bench/api/api_bench --benchmark_min_time=5   (the service is started once)
// API_BENCH_INTERVAL sets the servers' interval (default "10s"; "1d": one poll each, then
// the reads alone).
#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int servers = 100;
constexpr int features_per_server = 20;
constexpr int users_per_feature = 50; // 1,000 user lines per server
constexpr int distinct_users = 1000;

// A FlexNet `lmstat -a` answer with 1,000 checkouts in the shape of the real captures.
std::string lmstat_output() {
    std::string out = "lmutil - Copyright (c) 1989-2019 Flexera. All Rights Reserved.\n"
                      "Flexible License Manager status on Tue 12/1/2026 10:00\n\n"
                      "[Detecting lmgrd processes...]\n"
                      "License server status: 27000@lic1\n"
                      "    License file(s) on lic1: /opt/flexlm/license.dat:\n\n"
                      "      lic1: license server UP (MASTER) v11.16.2\n\n"
                      "Vendor daemon status (on lic1):\n\n     vendor1: UP v11.16.2\n\n"
                      "Feature usage info:\n\n";
    int line = 0;
    for (int f = 0; f < features_per_server; ++f) {
        const std::string name = "feature" + std::to_string(f);
        out += "Users of " + name + ":  (Total of 2000 licenses issued;  Total of " +
               std::to_string(users_per_feature) + " licenses in use)\n\n  \"" + name +
               "\" v31.0, vendor: vendor1, expiry: permanent(no expiration date)\n"
               "  floating license\n\n";
        for (int u = 0; u < users_per_feature; ++u, ++line) {
            const std::string user = "user" + std::to_string(line % distinct_users);
            const std::string host = "ws" + std::to_string(line);
            out += "    " + user + " " + host + " " + host + " (v31.000000) (lic1/27000 " +
                   std::to_string(1000 + line) +
                   "), start Tue 12/1 9:" + (line % 60 < 10 ? "0" : "") +
                   std::to_string(line % 60) + "\n";
        }
        out += "\n";
    }
    return out;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

long resident_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atol(line.c_str() + 6);
    return 0;
}

// The running service and its folder; stopped when the program ends.
class Service {
public:
    Service()
        : dir_(fs::temp_directory_path() / ("lmharvest-api-bench-" + std::to_string(getpid()))) {
        fs::create_directories(dir_);
        const fs::path tools = dir_ / "tools";
        fs::create_directories(tools);
        fs::copy_file(LH_LMUTIL_EMULATOR, tools / "lmutil");
        std::ofstream(dir_ / "lmstat.txt") << lmstat_output();
        port_ = free_port();
        std::ostringstream config;
        config << "[host]\nstate_dir = \"" << (dir_ / "state").string() << "\"\nplugin_dirs = [\""
               << LH_PLUGIN_BUILD_DIR
               << "\"]\nplugins = [\"flexnet\"]\nlisten = \"127.0.0.1:" << port_
               << "\"\nopen_read = true\nlog_level = \"warn\"\n";
        const char* interval = std::getenv("API_BENCH_INTERVAL");
        for (int s = 0; s < servers; ++s)
            config << "\n[[servers]]\nid = \"flex" << s << "\"\nadapter = \"flexnet\"\n"
                   << "address = \"27000@lic" << s << "\"\ninterval = \""
                   << (interval != nullptr ? interval : "10s") << "\"\n"
                   << "[servers.flexnet]\nlmutil = \"" << (tools / "lmutil").string() << "\"\n";
        std::ofstream(dir_ / "lmharvest.toml") << config.str();
        const std::string state = (dir_ / "lmstat.txt").string();
        const std::string config_file = (dir_ / "lmharvest.toml").string();
        const std::string log = (dir_ / "host.log").string();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setenv("LMUTIL_EMULATOR_STATE", state.c_str(), 1);
            std::freopen(log.c_str(), "w", stderr);
            ::execl(LH_LMHARVEST_BINARY, LH_LMHARVEST_BINARY, "run", "--config",
                    config_file.c_str(), static_cast<char*>(nullptr));
            std::_Exit(127);
        }
    }
    ~Service() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    /// Waits (up to 5 min) until every server's sessions are stored.
    bool wait_until_full() const {
        const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(5);
        while (std::chrono::steady_clock::now() < until) {
            httplib::Client client("127.0.0.1", port_);
            client.set_read_timeout(std::chrono::seconds(60));
            // user0 holds one session per 1,000 lines on each server.
            const auto answer = client.Get("/api/v1/sessions?user=user0");
            if (answer && answer->status == 200 &&
                nlohmann::json::parse(answer->body, nullptr, false).size() ==
                    static_cast<size_t>(servers))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        return false;
    }

    int port() const { return port_; }
    pid_t pid() const { return pid_; }

private:
    fs::path dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

Service& service() {
    static Service running;
    static const bool full = [] {
        const bool ready = running.wait_until_full();
        if (!ready)
            std::fprintf(stderr, "the service did not store 100k sessions within 5 minutes\n");
        return ready;
    }();
    (void)full;
    return running;
}

double percentile(std::vector<double> values, double share) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<size_t>(share * values.size()))];
}

// GET `path` once per iteration; p50/p99 in microseconds, bytes per second, and the rows of
// the last answer as counters.
void measure_get(benchmark::State& state, const std::string& path) {
    Service& running = service();
    std::vector<double> micros;
    size_t bytes = 0;
    size_t rows = 0;
    for (auto _ : state) {
        httplib::Client client("127.0.0.1", running.port());
        client.set_read_timeout(std::chrono::seconds(60));
        const auto start = std::chrono::steady_clock::now();
        const auto answer = client.Get(path.c_str());
        const auto took = std::chrono::steady_clock::now() - start;
        if (!answer || answer->status != 200) {
            state.SkipWithError("request failed");
            break;
        }
        micros.push_back(std::chrono::duration<double, std::micro>(took).count());
        bytes += answer->body.size();
        rows = static_cast<size_t>(std::count(answer->body.begin(), answer->body.end(), '{'));
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    state.counters["p50_us"] = percentile(micros, 0.50);
    state.counters["p99_us"] = percentile(micros, 0.99);
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["rss_MB"] = static_cast<double>(resident_kb(running.pid())) / 1024.0;
}

void BM_SessionsOfOneUser(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions?user=user42");
}
BENCHMARK(BM_SessionsOfOneUser)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_SessionsPageOf100(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions?limit=100");
}
BENCHMARK(BM_SessionsPageOf100)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_AllSessionsStreamed(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions");
}
BENCHMARK(BM_AllSessionsStreamed)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
