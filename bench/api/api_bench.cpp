// The API at scale, measured against the real service (service_100k.hpp: 100 FlexNet servers,
// 100k open sessions), polled every 10 s while the benchmarks ask. Each request is a new
// connection, as the API serves one request per connection. Latencies are per request, p50 and p99
// as counters.
//
//   build/bench/api/api_bench --benchmark_min_time=5   (the service is started once)
// API_BENCH_INTERVAL sets the servers' interval (default "10s"; "1d": one poll each, then
// the reads alone). BENCH_LMHARVEST runs another service binary (a baseline build), so that a
// before/after pair runs with the same benchmark binary.
#include "service_100k.hpp"

#include <algorithm>
#include <atomic>
#include <benchmark/benchmark.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

using namespace lmharvest::bench;

Service& service() {
    const char* interval = std::getenv("API_BENCH_INTERVAL");
    static Service running("", interval != nullptr ? interval : "10s");
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

// GET each of `paths` in turn (one iteration: a page refresh, or one request); p50/p99 of an
// iteration in microseconds, bytes per second and per iteration, the rows of the last answer.
void measure_gets(benchmark::State& state, const std::vector<std::string>& paths) {
    Service& running = service();
    std::vector<double> micros;
    size_t bytes = 0;
    size_t rows = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        for (const std::string& path : paths) {
            httplib::Client client("127.0.0.1", running.port());
            client.set_read_timeout(std::chrono::seconds(60));
            const auto answer = client.Get(path.c_str());
            if (!answer || answer->status != 200) {
                state.SkipWithError(("request failed: " + path).c_str());
                return;
            }
            bytes += answer->body.size();
            rows = static_cast<size_t>(std::count(answer->body.begin(), answer->body.end(), '{'));
        }
        micros.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    state.counters["p50_us"] = percentile(micros, 0.50);
    state.counters["p99_us"] = percentile(micros, 0.99);
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["kB_each"] = static_cast<double>(bytes) / 1024.0 /
                                static_cast<double>(std::max<size_t>(1, micros.size()));
    state.counters["rss_MB"] = static_cast<double>(resident_kb(running.pid())) / 1024.0;
}

void measure_get(benchmark::State& state, const std::string& path) {
    measure_gets(state, {path});
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

// The page's refresh path: the requests one refresh of the Sessions view makes, in turn.
// Before (main's app.js): every refresh read the whole list, and a group's list besides.
void BM_PageRefreshBefore(benchmark::State& state) {
    measure_gets(state, {"/api/v1/sessions", "/api/v1/groups", "/api/v1/servers"});
}
BENCHMARK(BM_PageRefreshBefore)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_PageRefreshBeforeGroup(benchmark::State& state) {
    measure_gets(state, {"/api/v1/sessions", "/api/v1/groups", "/api/v1/servers",
                         "/api/v1/sessions?group=bench"});
}
BENCHMARK(BM_PageRefreshBeforeGroup)->UseRealTime()->Unit(benchmark::kMillisecond);

// Now: the page's 100 rows with their count, the totals and the user picker.
void BM_PageRefreshNow(benchmark::State& state) {
    measure_gets(state,
                 {"/api/v1/sessions/summary?by=user", "/api/v1/groups", "/api/v1/servers",
                  "/api/v1/sessions?limit=100&offset=0&total=1", "/api/v1/sessions/summary"});
}
BENCHMARK(BM_PageRefreshNow)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_PageRefreshNowGroup(benchmark::State& state) {
    measure_gets(state, {"/api/v1/sessions/summary?by=user", "/api/v1/groups", "/api/v1/servers",
                         "/api/v1/sessions?group=bench&limit=100&offset=0&total=1",
                         "/api/v1/sessions/summary?group=bench"});
}
BENCHMARK(BM_PageRefreshNowGroup)->UseRealTime()->Unit(benchmark::kMillisecond);

// The requests of a refresh one by one, while polls run.
void BM_GroupPageOf100(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions?group=bench&limit=100&total=1");
}
BENCHMARK(BM_GroupPageOf100)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_PageOf100WithTotal(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions?limit=100&offset=200&total=1");
}
BENCHMARK(BM_PageOf100WithTotal)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_PageOf100SortedByFeature(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions?sort=feature&limit=100&total=1");
}
BENCHMARK(BM_PageOf100SortedByFeature)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_PageOf100Filtered(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions?q=ws12&limit=100&total=1");
}
BENCHMARK(BM_PageOf100Filtered)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_SummaryByUser(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions/summary?by=user");
}
BENCHMARK(BM_SummaryByUser)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_GroupSummaryByFeatureUser(benchmark::State& state) {
    measure_get(state, "/api/v1/sessions/summary?by=feature,user&group=bench&limit=100&total=1");
}
BENCHMARK(BM_GroupSummaryByFeatureUser)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Samples the service's resident memory every 10 ms while it lives; the peak in MB.
class RssSampler {
public:
    explicit RssSampler(pid_t pid)
        : thread_([this, pid] {
              while (!done_) {
                  peak_kb_ = std::max(peak_kb_.load(), resident_kb(pid));
                  std::this_thread::sleep_for(std::chrono::milliseconds(10));
              }
          }) {}
    double stop() {
        done_ = true;
        thread_.join();
        return static_cast<double>(peak_kb_) / 1024.0;
    }

private:
    std::atomic<bool> done_{false};
    std::atomic<long> peak_kb_{0};
    std::thread thread_;
};

// 8 clients read the whole list at once, each on its own connection: the service's peak
// resident memory meanwhile, and the bytes per second of all of them.
void BM_AllSessionsEightReaders(benchmark::State& state) {
    Service& running = service();
    constexpr int readers = 8;
    size_t bytes = 0;
    double peak_mb = 0;
    for (auto _ : state) {
        RssSampler sampler(running.pid());
        std::vector<std::thread> clients;
        std::atomic<size_t> got{0};
        std::atomic<int> failed{0};
        for (int i = 0; i < readers; ++i)
            clients.emplace_back([&] {
                httplib::Client client("127.0.0.1", running.port());
                client.set_read_timeout(std::chrono::seconds(120));
                const auto answer = client.Get("/api/v1/sessions");
                if (!answer || answer->status != 200)
                    ++failed;
                else
                    got += answer->body.size();
            });
        for (std::thread& client : clients)
            client.join();
        peak_mb = std::max(peak_mb, sampler.stop());
        if (failed > 0) {
            state.SkipWithError("a reader's request failed");
            break;
        }
        bytes += got;
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    state.counters["peak_rss_MB"] = peak_mb;
}
BENCHMARK(BM_AllSessionsEightReaders)->UseRealTime()->Unit(benchmark::kMillisecond);

// A raw GET /api/v1/events on its own connection, read without blocking.
class EventClient {
public:
    explicit EventClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            return;
        const std::string request = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
    }
    ~EventClient() { ::close(fd_); }
    EventClient(const EventClient&) = delete;
    EventClient& operator=(const EventClient&) = delete;

    int fd() const { return fd_; }
    /// Reads what arrived; false once the stream ended.
    bool read_some() {
        char buffer[4096];
        const ssize_t got = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0)
            received_.append(buffer, static_cast<size_t>(got));
        return got > 0 || (got < 0 && errno == EAGAIN);
    }
    bool has(const char* text) const { return received_.find(text) != std::string::npos; }

private:
    int fd_;
    std::string received_;
};

// 100 page clients listen to /api/v1/events: how many the service takes (not 503), how long
// until every one of them has an event of a poll, the service's threads meanwhile, and the
// p99 of ?user= while they listen.
void BM_EventsToHundredClients(benchmark::State& state) {
    Service& running = service();
    constexpr size_t clients = 100;
    double accepted = 0, all_got_ms = 0, threads = 0;
    std::vector<double> micros;
    for (auto _ : state) {
        std::vector<std::unique_ptr<EventClient>> listening;
        for (size_t i = 0; i < clients; ++i)
            listening.push_back(std::make_unique<EventClient>(running.port()));
        const auto start = std::chrono::steady_clock::now();
        const auto until = start + std::chrono::seconds(60);
        size_t with_event = 0, refused = 0;
        while (std::chrono::steady_clock::now() < until && with_event + refused < clients) {
            std::vector<pollfd> ready;
            for (const auto& client : listening)
                ready.push_back({client->fd(), POLLIN, 0});
            ::poll(ready.data(), ready.size(), 100);
            with_event = refused = 0;
            for (const auto& client : listening) {
                client->read_some();
                refused += client->has("HTTP/1.1 503") ? 1 : 0;
                with_event += client->has("event: poll") ? 1 : 0;
            }
        }
        all_got_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        accepted = static_cast<double>(clients - refused);
        threads = static_cast<double>(status_figure(running.pid(), "Threads:"));
        for (int i = 0; i < 20; ++i) {
            httplib::Client client("127.0.0.1", running.port());
            client.set_read_timeout(std::chrono::seconds(60));
            const auto begin = std::chrono::steady_clock::now();
            const auto answer = client.Get("/api/v1/sessions?user=user42");
            if (answer && answer->status == 200)
                micros.push_back(std::chrono::duration<double, std::micro>(
                                     std::chrono::steady_clock::now() - begin)
                                     .count());
        }
        if (with_event != clients - refused) {
            state.SkipWithError("an accepted client got no event within 60 s");
            break;
        }
    }
    state.counters["accepted"] = accepted;
    state.counters["all_got_event_ms"] = all_got_ms;
    state.counters["service_threads"] = threads;
    state.counters["user_p99_us"] = percentile(micros, 0.99);
}
BENCHMARK(BM_EventsToHundredClients)->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
