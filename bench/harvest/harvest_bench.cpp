// One harvest cycle: 100 servers x 1,000 sessions (10 features of 100 licenses, all in use)
// against 10,000 agent reports. The planner builds the activity index and runs the policy once
// per server poll, so "one server" is the cost a poll adds; the store variant adds reading the
// plan's inputs from SQLite and writing the plan (numbers in docs/performance.md).
#include "harvest/harvest_policy.hpp"
#include "harvest/planner.hpp"

#include <benchmark/benchmark.h>
#include <filesystem>
#include <map>
#include <unistd.h>

using namespace lmharvest;

namespace {

constexpr int64_t now = 1'800'000'000;
constexpr int servers = 100;
constexpr int sessions_per_server = 1000;
constexpr int features_per_server = 10;
constexpr int agents = 10000;

std::string user_name(int i) {
    return "user" + std::to_string(i % agents);
}

std::vector<AppActivity> reports() {
    std::vector<AppActivity> apps;
    for (int i = 0; i < agents; ++i) {
        AppActivity a;
        a.agent = "ws-" + std::to_string(i) + ".corp:1000";
        a.app = "cad";
        a.pid = 1000 + i;
        a.host = "ws-" + std::to_string(i) + ".corp";
        a.user = user_name(i);
        a.display = ":0";
        for (int f = 0; f < features_per_server; ++f)
            a.features.push_back("F" + std::to_string(f));
        a.focus_idle_s = (i * 37) % 7200; // 0..2 h
        a.cpu_percent = (i % 10 == 0) ? 40 : 0.5;
        a.report_time = now - 30;
        apps.push_back(std::move(a));
    }
    return apps;
}

Session session_of(int server, int i) {
    Session s;
    s.vendor = "VND";
    s.feature = "F" + std::to_string(i % features_per_server);
    s.version = "1.0";
    s.user = user_name(server * sessions_per_server + i);
    s.host = "ws-" + std::to_string((server * sessions_per_server + i) % agents);
    s.display = s.host;
    s.checkout_time = now - 3600 - i;
    s.handle = std::to_string(i);
    s.close_token = s.handle;
    return s;
}

std::vector<PoolInput> pools_of(int server) {
    std::vector<PoolInput> pools;
    for (int f = 0; f < features_per_server; ++f) {
        FeatureUsage usage;
        usage.vendor = "VND";
        usage.name = "F" + std::to_string(f);
        usage.version = "1.0";
        usage.total = sessions_per_server / features_per_server;
        usage.used = *usage.total;
        pools.push_back({"s" + std::to_string(server), usage, {}});
    }
    for (int i = 0; i < sessions_per_server; ++i) {
        SessionRecord r;
        r.id = server * sessions_per_server + i + 1;
        r.server = "s" + std::to_string(server);
        r.session = session_of(server, i);
        pools[i % features_per_server].sessions.push_back(std::move(r));
    }
    return pools;
}

HarvestConfig harvest_config() {
    HarvestConfig harvest;
    harvest.max_closes_per_cycle = 1000;
    return harvest;
}

size_t plan_server(const std::vector<PoolInput>& pools, const std::vector<AppActivity>& apps,
                   const HarvestConfig& harvest, const Groups& groups) {
    const ActivityIndex index(apps); // as the planner does, once per server poll
    const PolicyContext context{harvest, groups, index, {}, now};
    size_t closes = 0;
    for (const PoolInput& pool : pools)
        for (const PlanEntry& e : plan_pool(pool, context))
            closes += e.close;
    return closes;
}

void BM_policy_one_server(benchmark::State& state) {
    const auto apps = reports();
    const auto pools = pools_of(0);
    const HarvestConfig harvest = harvest_config();
    const Groups groups;
    size_t closes = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(closes = plan_server(pools, apps, harvest, groups));
    state.counters["closes"] = static_cast<double>(closes);
    state.counters["sessions"] = sessions_per_server;
}
BENCHMARK(BM_policy_one_server)->Unit(benchmark::kMillisecond);

void BM_policy_cycle_100_servers(benchmark::State& state) {
    const auto apps = reports();
    std::vector<std::vector<PoolInput>> all;
    for (int s = 0; s < servers; ++s)
        all.push_back(pools_of(s));
    const HarvestConfig harvest = harvest_config();
    const Groups groups;
    for (auto _ : state)
        for (const auto& pools : all)
            benchmark::DoNotOptimize(plan_server(pools, apps, harvest, groups));
    state.counters["sessions"] = servers * sessions_per_server;
}
BENCHMARK(BM_policy_cycle_100_servers)->Unit(benchmark::kMillisecond);

// The planner on a real SQLite file: read features, sessions, 10,000 reports and the denials,
// run the policy, replace the stored plan.
void BM_planner_one_server_with_store(benchmark::State& state) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("lh-harvest-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto store = Store::open(dir / "state.db");
    if (!store) {
        state.SkipWithError(store.error().c_str());
        return;
    }
    PollSnapshot snapshot;
    snapshot.server_id = "s0";
    snapshot.poll_time = now;
    snapshot.servers.push_back({"lic", State::up, true, "", ""});
    for (const PoolInput& pool : pools_of(0)) {
        snapshot.features.push_back(pool.usage);
        for (const SessionRecord& r : pool.sessions)
            snapshot.sessions.push_back(r.session);
    }
    (*store)->record_poll(snapshot, "bench", "27000@lic");
    for (const AppActivity& app : reports())
        (*store)->replace_agent_activity(app.agent, {app});
    Config config;
    config.harvest = harvest_config();
    config.harvest.dry_run = false; // the audit log would grow with every iteration
    const auto shared = std::make_shared<const Config>(std::move(config));
    Planner planner(
        **store, [shared] { return shared; }, [] { return now; });
    for (auto _ : state)
        benchmark::DoNotOptimize(planner.plan_server("s0").size());
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_planner_one_server_with_store)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
