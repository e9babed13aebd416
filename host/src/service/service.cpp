#include "service/service.hpp"

#include <algorithm>
#include <ctime>
#include <numeric>
#include <spdlog/spdlog.h>

namespace lmharvest {

Expected<std::unique_ptr<Service>, std::vector<std::string>> Service::create(Config config) {
    std::unique_ptr<Service> service(new Service());
    service->config_ = std::move(config);
    auto store = Store::open(store_file(service->config_));
    if (!store)
        return unexpected(std::vector<std::string>{store.error()});
    service->store_ = std::move(store.value());

    const auto report = load_plugins(service->config_, service->registry_);
    if (!report)
        return unexpected(std::vector<std::string>{report.error()});
    spdlog::info("plugins loaded={} refused={}", report->loaded.size(), report->refused.size());
    auto servers = create_servers(service->config_, service->registry_);
    if (!servers)
        return unexpected(servers.error());
    service->servers_ = std::move(servers.value());
    if (service->servers_.empty())
        spdlog::warn("no enabled server in the config: nothing will be polled");
    service->planner_ = std::make_unique<Planner>(*service->store_, service->config_, [] {
        return static_cast<int64_t>(std::time(nullptr));
    });
    service->scheduler_ = std::make_unique<PollScheduler>(
        service->poll_targets(),
        [raw = service.get()](const PollSnapshot& snapshot) { raw->on_snapshot(snapshot); },
        static_cast<unsigned>(std::min<std::size_t>(service->servers_.size(), 8)));
    return service;
}

Service::~Service() {
    stop();
}

std::vector<PollTarget> Service::poll_targets() {
    std::vector<PollTarget> targets;
    for (const ServerRuntime& server : servers_)
        targets.push_back({server.id, server.interval, [&server](int64_t poll_time) {
                               return server.instance->poll(poll_time);
                           }});
    return targets;
}

const ServerRuntime* Service::find_server(const std::string& id) const {
    const auto server = std::find_if(servers_.begin(), servers_.end(),
                                     [&](const ServerRuntime& s) { return s.id == id; });
    return server == servers_.end() ? nullptr : &*server;
}

bool Service::poll_all_once() {
    all_ok_ = true;
    scheduler_->poll_all_once();
    return all_ok_;
}

void Service::start() {
    spdlog::info("service started servers={} state={}", servers_.size(),
                 store_file(config_).string());
    scheduler_->start();
}

void Service::stop() {
    if (scheduler_)
        scheduler_->stop();
}

CloseReport Service::close(const CloseRequest& request) {
    const auto record = store_->session(request.session_id);
    const ServerRuntime* server = record ? find_server(record->server) : nullptr;
    if (!server) {
        CloseReport report; // unknown session, or its server is no longer configured
        report.session = record;
        return report;
    }
    return close_session(*store_, *server->instance, request,
                         static_cast<int64_t>(std::time(nullptr)));
}

// Called by the scheduler after each poll, with the snapshot's server_id set.
void Service::on_snapshot(const PollSnapshot& snapshot) {
    const ServerRuntime& server = *find_server(snapshot.server_id);
    PollChanges changes;
    try {
        changes = store_->record_poll(snapshot, server.adapter, server.address);
    } catch (const std::exception& e) {
        spdlog::error("store write failed server={} error=\"{}\"", server.id, e.what());
    }
    if (!snapshot.ok) {
        spdlog::warn("poll failed server={} error=\"{}\" duration_ms={}", server.id, snapshot.error,
                     snapshot.duration_ms);
        all_ok_ = false;
        return;
    }
    const int64_t licenses =
        std::accumulate(snapshot.sessions.begin(), snapshot.sessions.end(), int64_t{0},
                        [](int64_t sum, const Session& s) { return sum + s.count; });
    spdlog::info("poll ok server={} servers={} features={} sessions={} licenses={} skipped={} "
                 "duration_ms={}",
                 server.id, snapshot.servers.size(), snapshot.features.size(),
                 snapshot.sessions.size(), licenses, snapshot.skipped.size(), snapshot.duration_ms);
    log_session_changes(snapshot, changes);
    planner_->wake(server.id);
}

// One line per session that appeared, one for those that went away, as the store saw them.
void Service::log_session_changes(const PollSnapshot& snapshot, const PollChanges& changes) {
    for (std::size_t index : changes.opened) {
        const Session& s = snapshot.sessions[index];
        spdlog::info("session open server={} feature={} user={} host={} count={}",
                     snapshot.server_id, s.feature, s.user, s.host, s.count);
    }
    if (changes.gone > 0)
        spdlog::info("sessions gone server={} count={}", snapshot.server_id, changes.gone);
}

} // namespace lmharvest
