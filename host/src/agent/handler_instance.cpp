#include "agent/handler_instance.hpp"

#include "plugins/abi_names.hpp"

#include <future>
#include <mutex>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <thread>

namespace lmharvest::agent {
namespace {

using namespace std::chrono_literals;

// The host waits `deadline` for the agent's answer: the handler is told 3/4 of it, and the agent
// stops waiting at 9/10, so that a failed result still reaches the host in time.
std::chrono::milliseconds handler_share(std::chrono::milliseconds deadline) {
    return deadline * 3 / 4;
}

Expected<void> make_private_dir(const std::filesystem::path& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error)
        return unexpected("cannot create " + dir.string() + " (" + error.message() + ")");
    // Private to the user: nobody else may drop a command into a handler's mailbox.
    if (::chmod(dir.c_str(), 0700) != 0)
        return unexpected("cannot make " + dir.string() + " private (chmod 0700)");
    return {};
}

struct CallInfo {
    lh_process_info info{};
    explicit CallInfo(const ProcessFacts& p) {
        info.struct_size = sizeof info;
        info.pid = p.pid;
        info.executable = p.executable.c_str();
        info.command_line = p.command_line.c_str();
        info.user = p.user.c_str();
        info.display = p.display.c_str();
    }
};

} // namespace

std::chrono::milliseconds agent_share(std::chrono::milliseconds deadline) {
    return deadline * 9 / 10;
}

std::string unread_handler_keys_message(const HandlerSettings& settings,
                                        const std::vector<std::string>& keys) {
    std::string unread;
    for (const std::string& key : keys) {
        const std::string location = settings.table.location_of(key);
        unread += (unread.empty() ? "" : "\n") + (location.empty() ? "" : location + ": ") +
                  "unknown key '" + key + "' in [handlers." + settings.name +
                  "]: the plugin does not read it";
    }
    return unread;
}

// The 1.1 entry `field` of a handler table, nullptr for a 1.0 handler.
#define LH_ENTRY(table, field)                                                                     \
    (LH_HAS_FIELD(lh_handler_v1, &(table), field) ? (table).field : nullptr)

namespace {

struct HandlerCore {
    HandlerCore(std::shared_ptr<const LoadedPlugin> loaded, HandlerSettings handler_settings)
        : plugin(std::move(loaded)), settings(std::move(handler_settings)),
          state_dir(settings.state_dir.string()), saved_dir(settings.saved_dir.string()),
          table(*plugin->descriptor->handler) {
        setup.struct_size = sizeof setup;
        setup.config = reinterpret_cast<const lh_config*>(&settings.table);
        setup.state_dir = state_dir.c_str();
        setup.saved_dir = saved_dir.c_str();
    }
    ~HandlerCore() {
        if (!handle)
            return;
        try {
            table.destroy(handle);
        } catch (...) {
            spdlog::error("handler={} destroy() threw; ignored", settings.name);
        }
    }
    std::string failure(lh_status status) const {
        std::string text;
        try {
            const char* error = table.last_error ? table.last_error(handle) : nullptr;
            text = error ? error : "";
        } catch (...) {
            text = "last_error() threw an exception";
        }
        return status_name(status) + (text.empty() ? "" : ": " + text);
    }

    // Runs `call` on its own thread with the instance locked; gives up after `limit` and leaves
    // the thread to finish (it holds the core, so nothing it uses goes away).
    template <class T, class Call>
    static Expected<T> run_guarded(const std::shared_ptr<HandlerCore>& core,
                                   std::chrono::milliseconds limit, Call call) {
        auto promise = std::make_shared<std::promise<Expected<T>>>();
        auto future = promise->get_future();
        std::thread([core, promise, call]() mutable {
            std::lock_guard lock(core->mutex);
            try {
                promise->set_value(call(*core));
            } catch (const std::exception& e) {
                promise->set_value(unexpected(std::string("the handler threw: ") + e.what()));
            } catch (...) {
                promise->set_value(unexpected(std::string("the handler threw an exception")));
            }
        }).detach();
        if (future.wait_for(limit) != std::future_status::ready)
            return unexpected("the handler did not return within " + std::to_string(limit.count()) +
                              " ms; the app was left as it is");
        return future.get();
    }

    std::shared_ptr<const LoadedPlugin> plugin; // first: destroyed last, the library outlives
    HandlerSettings settings;
    std::string state_dir;
    std::string saved_dir;
    lh_handler_setup setup{};
    const lh_handler_v1& table;
    void* handle = nullptr;
    std::timed_mutex mutex; // serializes every call into handle, as the ABI promises
    std::mutex known_mutex;
    std::map<int64_t, std::vector<std::string>> known; // the last features per pid
};

class LocalHandler final : public HandlerInstance {
public:
    explicit LocalHandler(std::shared_ptr<HandlerCore> core) : core_(std::move(core)) {}
    const std::string& name() const override { return core_->settings.name; }
    std::vector<std::string> features(const ProcessFacts& process) override;
    HandlerActivity activity(const ProcessFacts& process) override;
    bool can_save() const override;
    bool can_reopen() const override;
    Expected<std::vector<SavedProject>> save_and_close(int64_t pid,
                                                       std::chrono::milliseconds deadline,
                                                       const std::string& reason) override;
    Expected<void> reopen(const SavedProject& project) override;
    std::vector<std::string> unread_keys() const override {
        return core_->settings.table.unread_keys();
    }

private:
    std::shared_ptr<HandlerCore>
        core_; // shared with a save-and-close thread that may outlive a call
};

} // namespace

Expected<std::unique_ptr<HandlerInstance>>
HandlerInstance::create(std::shared_ptr<const LoadedPlugin> plugin, HandlerSettings settings,
                        bool refuse_unread_keys) {
    const std::string who = "handler '" + settings.name + "': ";
    if (!plugin || !(plugin->descriptor->kinds & LH_KIND_HANDLER) || !plugin->descriptor->handler)
        return unexpected(who + "plugin '" + (plugin ? plugin->info.name : "?") +
                          "' is not a handler; name a handler plugin in plugin =");
    for (const auto* dir : {&settings.state_dir, &settings.saved_dir})
        if (auto made = make_private_dir(*dir); !made)
            return unexpected(who + made.error());
    auto core = std::make_shared<HandlerCore>(std::move(plugin), std::move(settings));
    const char* create_error = nullptr;
    lh_status status = LH_ERR_GENERIC;
    try {
        if (auto create_in = LH_ENTRY(core->table, create_in))
            status = create_in(&core->setup, &core->handle, &create_error);
        else
            status = core->table.create(core->setup.config, &core->handle, &create_error);
    } catch (...) {
        create_error = "create() threw an exception";
    }
    if (status != LH_OK || !core->handle) {
        core->handle = nullptr;
        return unexpected(who + "refused its configuration: " +
                          (create_error && *create_error ? create_error : status_name(status)));
    }
    if (refuse_unread_keys) {
        const std::string unread =
            unread_handler_keys_message(core->settings, core->settings.table.unread_keys());
        if (!unread.empty())
            return unexpected(unread);
    }
    return std::unique_ptr<HandlerInstance>(new LocalHandler(std::move(core)));
}

bool LocalHandler::can_save() const {
    return LH_ENTRY(core_->table, save_and_close_by) || core_->table.save_and_close;
}

bool LocalHandler::can_reopen() const {
    return core_->table.reopen != nullptr;
}

std::vector<std::string> LocalHandler::features(const ProcessFacts& process) {
    HandlerCore& core = *core_;
    // A save-and-close holds the instance: answer without waiting (asked per process).
    std::unique_lock lock(core.mutex, std::try_to_lock);
    if (!lock.owns_lock()) {
        std::lock_guard known(core.known_mutex);
        const auto last = core.known.find(process.pid);
        return last == core.known.end() ? std::vector<std::string>{} : last->second;
    }
    const CallInfo call(process);
    std::vector<std::string> features;
    try {
        if (auto each = LH_ENTRY(core.table, features)) {
            lh_feature_sink sink{
                sizeof(lh_feature_sink), &features, [](void* into, const char* feature) {
                    if (feature && *feature)
                        static_cast<std::vector<std::string>*>(into)->push_back(feature);
                }};
            if (each(core.handle, &call.info, &sink) != LH_OK)
                features.clear();
        } else if (core.table.match) {
            const char* feature = nullptr;
            if (core.table.match(core.handle, &call.info, &feature) == LH_OK && feature && *feature)
                features.push_back(feature);
        }
    } catch (...) {
        spdlog::warn("handler={} pid={} features threw; taken as not its app", core.settings.name,
                     process.pid);
        features.clear();
    }
    std::lock_guard known(core.known_mutex);
    if (features.empty())
        core.known.erase(process.pid);
    else
        core.known[process.pid] = features;
    return features;
}

HandlerActivity LocalHandler::activity(const ProcessFacts& process) {
    HandlerCore& core = *core_;
    auto ask = LH_ENTRY(core.table, activity);
    // A save-and-close holds the instance: answer without waiting (asked per process).
    std::unique_lock lock(core.mutex, std::try_to_lock);
    if (!ask || !lock.owns_lock())
        return HandlerActivity::unknown;
    const CallInfo call(process);
    lh_app_activity out{sizeof(lh_app_activity), LH_ACTIVITY_UNKNOWN};
    try {
        if (ask(core.handle, &call.info, &out) != LH_OK)
            return HandlerActivity::unknown;
    } catch (...) {
        return HandlerActivity::unknown;
    }
    return out.state == LH_ACTIVITY_BUSY      ? HandlerActivity::busy
           : out.state == LH_ACTIVITY_WAITING ? HandlerActivity::waiting
                                              : HandlerActivity::unknown;
}

Expected<std::vector<SavedProject>> LocalHandler::save_and_close(int64_t pid,
                                                                 std::chrono::milliseconds deadline,
                                                                 const std::string& reason) {
    if (!can_save())
        return unexpected("handler '" + name() + "' cannot save and close");
    using Projects = std::vector<SavedProject>;
    return HandlerCore::run_guarded<Projects>(
        core_, agent_share(deadline),
        [pid, deadline = handler_share(deadline), reason](HandlerCore& core) -> Expected<Projects> {
            Projects projects;
            lh_saved_project_sink sink{
                sizeof(lh_saved_project_sink), &projects,
                [](void* into, const lh_saved_project* p) {
                    if (p && p->path)
                        static_cast<Projects*>(into)->push_back(
                            {p->application ? p->application : "", p->path, p->saved_time});
                }};
            lh_status status = LH_ERR_GENERIC;
            if (auto by = LH_ENTRY(core.table, save_and_close_by)) {
                lh_save_request request{};
                request.struct_size = sizeof request;
                request.pid = pid;
                request.deadline_ms = static_cast<uint32_t>(deadline.count());
                request.saved_dir = core.saved_dir.c_str();
                request.reason = reason.c_str();
                status = by(core.handle, &request, &sink);
            } else {
                status = core.table.save_and_close(core.handle, pid, &sink);
            }
            if (status != LH_OK)
                return unexpected(core.failure(status));
            return projects;
        });
}

Expected<void> LocalHandler::reopen(const SavedProject& project) {
    if (!can_reopen())
        return unexpected("handler '" + name() + "' cannot reopen projects");
    return HandlerCore::run_guarded<void>(
        core_, reopen_limit, [project](HandlerCore& core) -> Expected<void> {
            lh_saved_project p{sizeof(lh_saved_project), project.app.c_str(), project.path.c_str(),
                               project.saved_time};
            const lh_status status = core.table.reopen(core.handle, &p);
            if (status != LH_OK)
                return unexpected(core.failure(status));
            return {};
        });
}

} // namespace lmharvest::agent
