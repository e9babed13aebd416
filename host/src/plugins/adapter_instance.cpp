#include "plugins/adapter_instance.hpp"

#include "plugins/abi_names.hpp"
#include "plugins/host_api.hpp"
#include "plugins/snapshot_sink.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <system_error>

namespace lmharvest {

std::string unread_keys_message(const InstanceSettings& settings,
                                const std::vector<std::string>& keys) {
    std::string message;
    for (const std::string& key : keys) {
        const std::string location = settings.table.location_of(key);
        message += message.empty() ? "" : "\n";
        message += (location.empty() ? "" : location + ": ") + "unknown key '" + key +
                   "' in [servers." + settings.adapter + "] of server '" + settings.server_id +
                   "': the " + settings.adapter + " plugin does not read it";
    }
    return message;
}

namespace {

// A plugin read in a worker has no table in this process: its instances call their worker.
const lh_adapter_v1& adapter_table(const LoadedPlugin& plugin) {
    static const lh_adapter_v1 in_a_worker{};
    return plugin.descriptor != nullptr ? *plugin.descriptor->adapter : in_a_worker;
}

} // namespace

AdapterInstance::AdapterInstance(std::shared_ptr<const LoadedPlugin> plugin,
                                 InstanceSettings settings)
    : plugin_(std::move(plugin)), settings_(std::move(settings)),
      state_dir_(settings_.state_dir.string()), adapter_(adapter_table(*plugin_)) {
    config_.struct_size = sizeof config_;
    config_.server_id = settings_.server_id.c_str();
    config_.address = settings_.address.c_str();
    config_.timeout_ms = static_cast<uint32_t>(settings_.timeout.count());
    config_.state_dir = state_dir_.c_str();
    config_.config = reinterpret_cast<const lh_config*>(&settings_.table);
}

Expected<std::unique_ptr<AdapterInstance>>
AdapterInstance::create(std::shared_ptr<const LoadedPlugin> plugin, InstanceSettings settings,
                        const WorkerStarter& start_worker) {
    const std::string server = "server '" + settings.server_id + "': ";
    if (!plugin || !(plugin->info.kinds & LH_KIND_ADAPTER))
        return unexpected(server + "plugin '" + settings.adapter +
                          "' is not an adapter; name an adapter plugin in adapter =");
    if (!plugin->descriptor && !start_worker)
        return unexpected(server + "plugin '" + settings.adapter +
                          "' was loaded in a worker only, and this server runs in the host "
                          "(isolation = \"none\")");
    std::error_code error;
    std::filesystem::create_directories(settings.state_dir, error);
    if (error)
        return unexpected(server + "cannot create state directory " + settings.state_dir.string() +
                          " (" + error.message() + "); check state_dir and its permissions");

    std::unique_ptr<AdapterInstance> instance(
        new AdapterInstance(std::move(plugin), std::move(settings)));
    if (start_worker) {
        auto started = start_worker(*instance->plugin_, instance->settings_);
        if (!started)
            return unexpected(server + started.error());
        instance->worker_ = std::move(started->worker);
        const std::string unread = unread_keys_message(instance->settings_, started->unread_keys);
        if (!unread.empty())
            return unexpected(unread);
        return instance;
    }
    const char* create_error = nullptr;
    lh_status status = LH_ERR_GENERIC;
    try {
        status = instance->adapter_.create(&instance->config_, &instance->handle_, &create_error);
    } catch (...) {
        create_error = "create() threw an exception";
    }
    if (status != LH_OK || !instance->handle_) {
        instance->handle_ = nullptr; // nothing to destroy
        return unexpected(server + "adapter '" + instance->settings_.adapter +
                          "' refused its configuration: " +
                          (create_error && *create_error ? create_error : status_name(status)));
    }
    const std::string unread =
        instance->settings_.refuse_unread_keys
            ? unread_keys_message(instance->settings_, instance->unread_keys())
            : std::string();
    if (!unread.empty())
        return unexpected(unread); // the destructor destroys the plugin's instance
    return instance;
}

AdapterInstance::~AdapterInstance() {
    if (!handle_)
        return;
    try {
        adapter_.destroy(handle_);
    } catch (...) {
        spdlog::error("server={} adapter={} destroy() threw; ignored", settings_.server_id,
                      settings_.adapter);
    }
}

std::string AdapterInstance::last_error() const {
    try {
        const char* text = adapter_.last_error(handle_);
        return text ? text : "";
    } catch (...) {
        return "last_error() threw an exception";
    }
}

AdapterInstance::Outcome AdapterInstance::run_poll(int64_t poll_time, const lh_poll_sink& sink,
                                                   const std::string& sink_failure) {
    Outcome outcome;
    if (!adapter_.poll || !(plugin_->info.capabilities & LH_CAP_POLL)) {
        outcome.failure = "adapter '" + settings_.adapter + "' cannot poll (no capability POLL)";
        return outcome;
    }
    ProcessLimitScope limit(settings_.max_output);
    lh_poll_request request{};
    request.struct_size = sizeof request;
    request.poll_time = poll_time;
    const auto start = std::chrono::steady_clock::now();
    std::string& failure = outcome.failure;
    try {
        const lh_status status = adapter_.poll(handle_, &request, &sink);
        if (status != LH_OK)
            failure = status_name(status) + ": " + last_error();
    } catch (const std::exception& e) {
        failure = std::string("poll() threw: ") + e.what();
    } catch (...) {
        failure = "poll() threw an exception";
    }
    outcome.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
    if (failure.empty())
        failure = sink_failure;
    if (!failure.empty() && !limit.stopped().empty())
        failure += " (" + limit.stopped() + ")";
    return outcome;
}

std::string AdapterInstance::poll_into(int64_t poll_time, const lh_poll_sink& sink,
                                       const std::string& sink_failure) {
    if (worker_)
        return "poll_into() runs the plugin in this process; this instance runs in a worker";
    std::lock_guard lock(mutex_);
    return run_poll(poll_time, sink, sink_failure).failure;
}

PollSnapshot AdapterInstance::poll(int64_t poll_time, FailedPoll failed_poll,
                                   std::size_t expected_sessions) {
    PollSnapshot snapshot;
    snapshot.server_id = settings_.server_id;
    snapshot.poll_time = poll_time;
    std::lock_guard lock(mutex_);
    if (worker_) {
        snapshot =
            worker_->poll(poll_time, failed_poll, std::max(expected_sessions, last_sessions_));
        snapshot.server_id = settings_.server_id;
        if (snapshot.ok)
            last_sessions_ = snapshot.sessions.size();
        return snapshot;
    }
    SnapshotSink sink(snapshot, std::max(expected_sessions, last_sessions_));
    Outcome outcome = run_poll(poll_time, sink.c_sink(), sink.failure());
    snapshot.duration_ms = outcome.duration_ms;
    if (!outcome.failure.empty() && failed_poll == FailedPoll::keep) {
        snapshot.ok = false;
        snapshot.error = std::move(outcome.failure);
        return snapshot;
    }
    if (!outcome.failure.empty()) {
        PollSnapshot failed;
        failed.server_id = std::move(snapshot.server_id);
        failed.poll_time = poll_time;
        failed.duration_ms = snapshot.duration_ms;
        failed.ok = false;
        failed.error = std::move(outcome.failure);
        return failed;
    }
    last_sessions_ = snapshot.sessions.size();
    return snapshot;
}

CloseResult AdapterInstance::close(const std::string& close_token) {
    if (!(plugin_->info.capabilities & LH_CAP_CLOSE_SESSION) ||
        (!worker_ && !adapter_.close_session))
        return {LH_ERR_UNSUPPORTED,
                "adapter '" + settings_.adapter +
                    "' cannot close sessions (no capability CLOSE_SESSION)",
                0};

    std::lock_guard lock(mutex_);
    if (worker_)
        return worker_->close(close_token);
    ProcessLimitScope limit(settings_.max_output);
    lh_close_result result{};
    result.struct_size = sizeof result;
    CloseResult outcome;
    try {
        outcome.status = adapter_.close_session(handle_, close_token.c_str(), &result);
        if (outcome.status != LH_OK)
            outcome.message = last_error();
    } catch (...) {
        outcome.status = LH_ERR_GENERIC;
        outcome.message = "close_session() threw an exception";
    }
    if (outcome.status != LH_OK && !limit.stopped().empty())
        outcome.message += " (" + limit.stopped() + ")";
    outcome.retry_after_ms = result.retry_after_ms;
    return outcome;
}

} // namespace lmharvest
