// One adapter instance: a loaded adapter plugin bound to one configured license server.
// The host polls and closes sessions only through this class, which turns every plugin
// failure (error status or exception) into a value, never into a crash.
#pragma once

#include "common/expected.hpp"
#include "config/plugin_table.hpp"
#include "model/snapshot.hpp"
#include "plugins/loaded_plugin.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace lmharvest {

/// One [[servers]] entry as the adapter sees it.
struct InstanceSettings {
    std::string server_id;
    std::string adapter; // the plugin's name, for messages
    std::string address;
    std::chrono::milliseconds timeout{30000}; // for one tool run
    std::size_t max_output = 64u << 20;       // bytes one tool run may print
    std::filesystem::path state_dir;          // created by create()
    PluginTable table;                        // [servers.<adapter>]
    /// false in a worker: the host, which knows where each key is in the file, refuses them.
    bool refuse_unread_keys = true;
};

/// The outcome of close(): the license is free when freed() is true.
struct CloseResult {
    lh_status status = LH_OK;
    std::string message;
    int64_t retry_after_ms = 0; // with LH_ERR_TOO_SOON; 0 when unknown
    bool freed() const { return status == LH_OK || status == LH_ERR_ALREADY_GONE; }
};

/// What a failed poll keeps of the records the plugin gave before it failed.
enum class FailedPoll {
    drop, // none: a partial view must not close sessions (the service)
    keep, // all, to show what was read and why it was refused (`lmharvest parse`)
};

/// An instance that runs out of the host's process (isolation/): the host's AdapterInstance
/// forwards its calls, and keeps its checks, its lock and its interface.
class InstanceWorker {
public:
    virtual ~InstanceWorker() = default;
    /// A snapshot with ok=false and the reason when the worker failed (crashed, hung).
    virtual PollSnapshot poll(int64_t poll_time, FailedPoll failed,
                              std::size_t expected_sessions) = 0;
    virtual CloseResult close(const std::string& close_token) = 0;
};

/// A started worker and the keys of the plugin table its create() did not read.
struct StartedWorker {
    std::unique_ptr<InstanceWorker> worker;
    std::vector<std::string> unread_keys;
};
/// Starts the worker of one instance; its error names what failed (without the server).
using WorkerStarter =
    std::function<Expected<StartedWorker>(const LoadedPlugin&, const InstanceSettings&)>;

/// The messages for keys of the server's plugin table that the plugin never read (typos), each
/// with its place in the config file; empty when there are none.
std::string unread_keys_message(const InstanceSettings& settings,
                                const std::vector<std::string>& keys);

class AdapterInstance {
public:
    /// Creates the instance in the plugin, in this process or, with `start_worker`, in the
    /// worker it starts. Refused when the plugin is not an adapter, when its create() fails,
    /// or (with settings.refuse_unread_keys) when the table holds keys the plugin never read.
    static Expected<std::unique_ptr<AdapterInstance>>
    create(std::shared_ptr<const LoadedPlugin> plugin, InstanceSettings settings,
           const WorkerStarter& start_worker = {});

    ~AdapterInstance();
    AdapterInstance(const AdapterInstance&) = delete;
    AdapterInstance& operator=(const AdapterInstance&) = delete;

    /// Polls the server once; `poll_time` is the wall-clock time of the poll (epoch seconds).
    /// A failure gives ok=false, the error, and no records (a partial view must not close
    /// sessions) unless `failed` says keep. Room for `expected_sessions` (or the last good
    /// poll's count, if more) is made before the records arrive: growing a vector of 69k
    /// sessions moved each one ~17 times. Calls into one instance are serialized; safe from
    /// any thread.
    PollSnapshot poll(int64_t poll_time, FailedPoll failed = FailedPoll::drop,
                      std::size_t expected_sessions = 0);

    /// Polls the server once into `sink` (a LentRecordSink's c_sink()), which sees each record
    /// as the plugin lends it, so that nothing needs to hold the whole poll; what went wrong,
    /// empty when the poll succeeded. `sink_failure` is the sink's own failure(), read once the
    /// plugin returns. For `lmharvest parse --json`; poll() is this into a PollSnapshot. In
    /// this process only: with a worker, it fails.
    std::string poll_into(int64_t poll_time, const lh_poll_sink& sink,
                          const std::string& sink_failure);

    /// Releases the checkout named by a session's close_token. LH_ERR_UNSUPPORTED when the
    /// plugin cannot close sessions. Serialized with poll().
    CloseResult close(const std::string& close_token);

    const std::string& server_id() const { return settings_.server_id; }
    const LoadedPlugin& plugin() const { return *plugin_; }

    /// Keys of the plugin table that no lookup has asked for yet.
    std::vector<std::string> unread_keys() const { return settings_.table.unread_keys(); }

private:
    AdapterInstance(std::shared_ptr<const LoadedPlugin> plugin, InstanceSettings settings);
    std::string last_error() const;
    struct Outcome {
        std::string failure; // empty when the poll succeeded
        int64_t duration_ms = 0;
    };
    // poll_into() with mutex_ held.
    Outcome run_poll(int64_t poll_time, const lh_poll_sink& sink, const std::string& sink_failure);

    // First member: destroyed last, so that the library outlives the instance.
    std::shared_ptr<const LoadedPlugin> plugin_;
    InstanceSettings settings_; // the strings lh_instance_config points into
    std::string state_dir_;
    lh_instance_config config_{};
    const lh_adapter_v1& adapter_;
    void* handle_ = nullptr;
    std::unique_ptr<InstanceWorker> worker_; // when the plugin runs out of process
    std::size_t last_sessions_ = 0;          // of the last good poll, guarded by mutex_
    std::mutex mutex_; // serializes every call into handle_, as the ABI promises plugins
};

} // namespace lmharvest
