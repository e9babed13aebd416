#include "service/service.hpp"

#include "model/decode_names.hpp"
#include "service/manual_close.hpp"
#include "service/reload_plan.hpp"

#include <algorithm>
#include <ctime>
#include <numeric>
#include <spdlog/spdlog.h>
#include <thread>

namespace lmharvest {

namespace {

using namespace std::chrono_literals;

// A poll may run its tool a few times (a triad, a retry); past this it ignores its timeout.
std::chrono::milliseconds stuck_after(std::chrono::milliseconds timeout) {
    return 3 * timeout + 5s;
}

PollTarget poll_target(const std::shared_ptr<ServerRuntime>& server) {
    return {server->id, server->interval,
            [server](int64_t poll_time) {
                PollSnapshot snapshot = server->instance->poll(poll_time);
                decode_names(snapshot, server->encoding);
                return snapshot;
            },
            stuck_after(server->config.timeout)};
}

int64_t licenses_in(const PollSnapshot& snapshot) {
    return std::accumulate(snapshot.sessions.begin(), snapshot.sessions.end(), int64_t{0},
                           [](int64_t sum, const Session& s) { return sum + s.count; });
}

PollEvent poll_event(const PollSnapshot& snapshot) {
    return {snapshot.server_id,   snapshot.poll_time,       snapshot.ok,
            snapshot.error,       snapshot.features.size(), snapshot.sessions.size(),
            licenses_in(snapshot)};
}

} // namespace

Expected<std::unique_ptr<Service>, std::vector<std::string>> Service::create(Config config) {
    std::unique_ptr<Service> service(new Service());
    auto shared = std::make_shared<const Config>(std::move(config));
    service->config_ = shared;
    auto store = Store::open(store_file(*shared));
    if (!store)
        return unexpected(std::vector<std::string>{store.error()});
    service->store_ = std::move(store.value());

    service->registry_ = std::make_unique<PluginRegistry>(plugin_registry_for(*shared));
    const auto report = load_plugins(*shared, *service->registry_);
    if (!report)
        return unexpected(std::vector<std::string>{report.error()});
    spdlog::info("plugins loaded={} refused={}", report->loaded.size(), report->refused.size());
    auto servers = create_servers(*shared, *service->registry_);
    if (!servers)
        return unexpected(servers.error());
    if (servers->empty())
        spdlog::warn("no enabled server in the config: nothing will be polled");
    const auto clock = [] { return static_cast<int64_t>(std::time(nullptr)); };
    service->sequences_ = std::make_unique<CloseSequences>(
        CloseSequenceEnv{*service->store_, service->mailbox_,
                         [raw = service.get()](int64_t id) { return raw->release_license(id); },
                         shared->harvest.agent_timeout, nullptr, clock},
        service->closes_under_way_);
    service->notifier_ = std::make_unique<DeniedNotifier>(*service->store_, service->mailbox_);
    service->planner_ = std::make_unique<Planner>(
        *service->store_, [raw = service.get()] { return raw->config(); }, clock,
        service->sequences_.get(), service->notifier_.get());
    service->history_keeper_ = std::make_unique<HistoryKeeper>(
        *service->store_,
        [raw = service.get()] {
            const std::shared_ptr<const Config> config = raw->config();
            return Retention{config->host.history_days, config->agents.forget_after};
        },
        clock);
    // A fixed pool: a reload may add servers, and each should find a free worker. Idle
    // workers only wait on a condition variable.
    constexpr unsigned workers = 8;
    service->scheduler_ = std::make_unique<PollScheduler>(
        std::vector<PollTarget>{},
        [raw = service.get()](const PollSnapshot& snapshot) { raw->on_snapshot(snapshot); },
        workers);
    for (ServerRuntime& server : *servers)
        service->install(std::make_shared<ServerRuntime>(std::move(server)));
    return service;
}

Service::~Service() {
    stop();
}

std::shared_ptr<const Config> Service::config() const {
    std::lock_guard lock(config_mutex_);
    return config_;
}

std::shared_ptr<ServerRuntime> Service::find_server(const std::string& id) const {
    std::lock_guard lock(servers_mutex_);
    const auto server = servers_.find(id);
    return server == servers_.end() ? nullptr : server->second;
}

bool Service::can_close(const std::string& id) const {
    const auto server = find_server(id);
    return server && (server->instance->plugin().info.capabilities & LH_CAP_CLOSE_SESSION) != 0;
}

void Service::install(std::shared_ptr<ServerRuntime> server) {
    PollTarget target = poll_target(server);
    {
        std::lock_guard lock(servers_mutex_);
        servers_[server->id] = std::move(server);
    }
    scheduler_->add(std::move(target));
}

// Takes a server out and returns once its instance is destroyed: its poll in flight has ended
// and no close holds it any more.
void Service::retire(const std::string& id) {
    scheduler_->remove(id);
    std::shared_ptr<ServerRuntime> server;
    {
        std::lock_guard lock(servers_mutex_);
        const auto found = servers_.find(id);
        if (found == servers_.end())
            return;
        server = std::move(found->second);
        servers_.erase(found);
    }
    const std::weak_ptr<ServerRuntime> watch = server;
    server.reset();
    while (!watch.expired()) // a close in flight, bounded by its tool's timeout
        std::this_thread::sleep_for(10ms);
}

std::vector<const ServerConfig*> Service::running_settings() const {
    std::lock_guard lock(servers_mutex_);
    std::vector<const ServerConfig*> settings;
    for (const auto& [id, server] : servers_)
        settings.push_back(&server->config);
    return settings;
}

bool Service::poll_all_once() {
    all_ok_ = true;
    scheduler_->poll_all_once();
    return all_ok_;
}

void Service::start(ServiceHooks hooks) {
    std::size_t servers = 0;
    {
        std::lock_guard lock(first_cycle_mutex_);
        std::lock_guard servers_lock(servers_mutex_);
        for (const auto& [id, server] : servers_)
            first_cycle_pending_.insert(id);
        servers = servers_.size();
        if (servers > 0) // else the first cycle is done before it began
            first_cycle_done_ = std::move(hooks.first_cycle_done);
    }
    if (hooks.heartbeat)
        scheduler_->set_heartbeat(hooks.heartbeat_period, std::move(hooks.heartbeat));
    spdlog::info("service started servers={} state={}", servers, store_file(*config()).string());
    if (servers == 0 && hooks.first_cycle_done)
        hooks.first_cycle_done();
    scheduler_->start();
}

std::vector<std::string> Service::stop(std::chrono::milliseconds grace) {
    if (sequences_)
        sequences_->stop(); // ends the mailbox's waits too: a waiting sequence releases nothing
    return scheduler_ ? scheduler_->stop(grace) : std::vector<std::string>{};
}

Expected<ReloadSummary, std::vector<std::string>> Service::reload(Config config) {
    const auto next = std::make_shared<const Config>(std::move(config));
    const auto current = this->config();
    if (next->host.state_dir != current->host.state_dir)
        return unexpected(
            std::vector<std::string>{"host.state_dir changed from " + current->host.state_dir +
                                     " to " + next->host.state_dir +
                                     ": a reload keeps the open store; restart the service to "
                                     "move it"});
    auto registry = std::make_unique<PluginRegistry>(plugin_registry_for(*next));
    if (const auto report = load_plugins(*next, *registry); !report)
        return unexpected(std::vector<std::string>{report.error()});
    ReloadPlan plan = plan_reload(running_settings(), next->servers);
    // A kept server whose adapter now comes from another file is re-created on that file.
    std::erase_if(plan.keep, [&](const std::string& id) {
        const auto server = find_server(id);
        const auto plugin = registry->find(server->adapter);
        if (plugin && same_plugin(*plugin, server->instance->plugin()))
            return false;
        plan.replace.push_back(id);
        return true;
    });
    const auto settings_of = [](const Config& c, const std::string& id) -> const ServerConfig& {
        return *std::find_if(c.servers.begin(), c.servers.end(),
                             [&](const ServerConfig& s) { return s.id == id; });
    };

    // Refused before anything stops: a server whose plugin is missing.
    std::vector<std::string> problems;
    for (const auto* ids : {&plan.add, &plan.replace})
        for (const std::string& id : *ids)
            if (const ServerConfig& server = settings_of(*next, id);
                !registry->find(server.adapter))
                problems.push_back(server.location + ": server '" + id + "': no plugin '" +
                                   server.adapter + "' is loaded; check host.plugin_dirs and " +
                                   "`lmharvest plugins list`");
    if (!problems.empty())
        return unexpected(std::move(problems));

    // New servers first: nothing of theirs polls yet, so a refusal undoes nothing running.
    std::vector<std::shared_ptr<ServerRuntime>> created;
    for (const std::string& id : plan.add) {
        auto server = create_server(settings_of(*next, id), next->host, *registry);
        if (server)
            created.push_back(std::make_shared<ServerRuntime>(std::move(*server)));
        else
            problems.push_back(server.error());
    }
    if (!problems.empty())
        return unexpected(std::move(problems)); // `created` is destroyed unused

    // A changed server's old instance ends before its new one is created: two instances of
    // one server would share its state folder (FlexNet's debug-log bookmark).
    for (const std::string& id : plan.replace) {
        retire(id);
        auto server = create_server(settings_of(*next, id), next->host, *registry);
        if (server)
            created.push_back(std::make_shared<ServerRuntime>(std::move(*server)));
        else
            problems.push_back(server.error());
    }
    if (!problems.empty()) {
        created.clear(); // the new instances go before the old settings come back
        for (const std::string& id : plan.replace) {
            auto old = create_server(settings_of(*current, id), current->host, *registry_);
            if (old)
                install(std::make_shared<ServerRuntime>(std::move(*old)));
            else
                spdlog::error("server={} could not be restored after a refused reload, and is "
                              "not polled until a reload succeeds: {}",
                              id, old.error());
        }
        return unexpected(std::move(problems));
    }

    for (const std::string& id : plan.remove)
        retire(id);
    for (std::shared_ptr<ServerRuntime>& server : created)
        install(std::move(server));
    {
        std::lock_guard lock(config_mutex_);
        config_ = next;
    }
    registry_ = std::move(registry); // plugins still in use live on in their instances
    return ReloadSummary{plan.keep.size(), plan.replace.size(), plan.add.size(),
                         plan.remove.size()};
}

CloseReport Service::close(const CloseRequest& request) {
    const auto record = store_->session(request.session_id);
    const auto server = record ? find_server(record->server) : nullptr;
    if (!server) {
        CloseReport report; // unknown session, or its server is no longer configured
        report.session = record;
        return report;
    }
    if (request.method)
        return start_sequence(request, *record);
    return close_session(*store_, *server->instance, closes_under_way_, request,
                         static_cast<int64_t>(std::time(nullptr)));
}

// A close sequence's release: the same live instance as close(), so calls stay serialized.
// The session stays open in the store: the next poll that no longer shows it confirms it.
CloseResult Service::release_license(int64_t session_id) {
    const auto record = store_->session(session_id);
    const auto server = record ? find_server(record->server) : nullptr;
    if (!server)
        return {LH_ERR_NOT_FOUND,
                "session " + std::to_string(session_id) +
                    ": unknown, or its server is no longer configured",
                0};
    return server->instance->close(record->session.close_token);
}

// An operator's close with a method: the harvest sequence for one session, with the figures of
// the session's pool now; no on_no_handler fallback (the operator asked for that method).
CloseReport Service::start_sequence(const CloseRequest& request, const SessionRecord& record) {
    CloseReport report;
    report.session = record;
    if (record.closed_at) {
        report.outcome = CloseReport::Outcome::already_closed;
        return report;
    }
    PlanEntry entry = manual_close_entry(*store_, record, request.reason,
                                         static_cast<int64_t>(std::time(nullptr)));
    entry.method = *request.method;
    const CloseRoute route = sequences_->route_for(entry, OnNoHandler::skip);
    if (!route.skip_reason.empty()) {
        report.outcome = CloseReport::Outcome::no_agent;
        report.adapter_result.message = route.skip_reason + ": no agent reports an app of " +
                                        record.session.user + " on " + record.session.host +
                                        " using " + record.session.feature + " that offers it";
        return report;
    }
    const auto started = sequences_->start(entry, route, request.actor, "close");
    if (!started) {
        report.outcome = CloseReport::Outcome::under_way;
        report.adapter_result.message = started.error();
        return report;
    }
    report.outcome = CloseReport::Outcome::started;
    report.audit_id = *started;
    return report;
}

// A deleted or replaced database keeps taking writes through the open file, which are then
// lost at restart: said once when it happens, and once when it is back.
void Service::check_store_file() {
    const Store::FileState now = store_->file_state();
    if (store_file_state_.exchange(now) == now)
        return;
    if (now == Store::FileState::same)
        spdlog::info("store file is back in place file={}", store_->file().string());
    else
        spdlog::error("store file {} file={} while the service runs: polls go on into the open "
                      "file and are lost at restart; restore state_dir and restart the service",
                      to_string(now), store_->file().string());
}

void Service::note_first_poll(const std::string& id) {
    std::function<void()> done;
    {
        std::lock_guard lock(first_cycle_mutex_);
        if (first_cycle_pending_.erase(id) == 1 && first_cycle_pending_.empty())
            done = std::exchange(first_cycle_done_, nullptr);
    }
    if (done)
        done();
}

// Called by the scheduler after each poll, with the snapshot's server_id set.
void Service::on_snapshot(const PollSnapshot& snapshot) {
    const auto found = find_server(snapshot.server_id);
    if (!found)
        return;
    const ServerRuntime& server = *found;
    check_store_file();
    PollChanges changes;
    try {
        changes = store_->record_poll(snapshot, server.adapter, server.address);
    } catch (const std::exception& e) {
        spdlog::error("store write failed server={} error=\"{}\"", server.id, e.what());
    }
    note_first_poll(server.id);
    poll_listeners_.notify(poll_event(snapshot));
    if (!snapshot.ok) {
        spdlog::warn("poll failed server={} error=\"{}\" duration_ms={}", server.id, snapshot.error,
                     snapshot.duration_ms);
        all_ok_ = false;
        return;
    }
    const int64_t licenses = licenses_in(snapshot);
    spdlog::info("poll ok server={} servers={} features={} sessions={} licenses={} skipped={} "
                 "duration_ms={}",
                 server.id, snapshot.servers.size(), snapshot.features.size(),
                 snapshot.sessions.size(), licenses, snapshot.skipped.size(), snapshot.duration_ms);
    log_session_changes(snapshot, changes);
    sequences_->on_good_poll(server.id); // before the plan: a confirmed session is out of it
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
