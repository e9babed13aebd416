// lmharvest C++ plugin layer (header-only, C++17).
//
// Turns a C++ class into the C vtable of plugin.h, so that a vendor writes a class, not a table
// of function pointers. Exceptions never cross the boundary: every call is wrapped, and an
// exception becomes a status code plus a last_error() message.
//
//     class MyAdapter {
//     public:
//         explicit MyAdapter(const lmharvest::sdk::Instance& instance);     // may throw
//         void poll(const lh_poll_request& request, lmharvest::sdk::PollSink& sink);
//         lmharvest::sdk::CloseOutcome close_session(std::string_view token); // optional
//     };
//     LMHARVEST_ADAPTER_PLUGIN(MyAdapter, "myadapter", "1.0.0", "My license manager")
//
// The plugin's capability bits are derived from the class: LH_CAP_CLOSE_SESSION when it has
// close_session(), LH_CAP_DENIALS when it declares `static constexpr bool reports_denials = true`.
//
// A save-and-close handler (workstation agent side) is a class too:
//
//     class MyHandler {
//     public:
//         explicit MyHandler(const lmharvest::sdk::HandlerSetup& setup);   // may throw
//         // The licensed features the process holds; empty when it is not this handler's app.
//         std::vector<std::string> features(const lmharvest::sdk::Process& process);
//         // Optional. Throws sdk::Error on failure, and the application must then still run.
//         void save_and_close(const lmharvest::sdk::SaveRequest& request,
//                             lmharvest::sdk::SavedProjectSink& sink);
//         void reopen(const lmharvest::sdk::SavedProject& project);      // optional
//         lmharvest::sdk::Activity activity(const lmharvest::sdk::Process& process); // optional
//     };
//     LMHARVEST_HANDLER_PLUGIN(MyHandler, "myhandler", "1.0.0", "My application")
//
// LH_CAP_SAVE_AND_CLOSE is set when the class has save_and_close(). A plugin that is both an
// adapter and a handler uses LMHARVEST_ADAPTER_AND_HANDLER_PLUGIN(ADAPTER, HANDLER, ...).
#ifndef LMHARVEST_PLUGIN_HPP
#define LMHARVEST_PLUGIN_HPP

#include "plugin.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace lmharvest::sdk {

/// An error a plugin throws; becomes `status` and last_error() at the boundary.
class Error : public std::runtime_error {
public:
    Error(lh_status status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    lh_status status() const { return status_; }

private:
    lh_status status_;
};

/// The host API given to lh_plugin_entry_v1, kept for the life of the library.
inline const lh_host_api*& host_api() {
    static const lh_host_api* api = nullptr;
    return api;
}

/// Writes one line to the host's log.
inline void log(int32_t level, const std::string& message) {
    if (const lh_host_api* host = host_api(); host && host->log)
        host->log(host, level, message.c_str());
}

/// What one run of a child process printed and how it ended.
struct ProcessOutput {
    lh_status status = LH_OK; // LH_OK, LH_ERR_TIMEOUT or LH_ERR_SPAWN
    int32_t exit_code = -1;
    int32_t term_signal = 0;
    bool timed_out = false;
    std::string out; // standard output
    std::string err; // standard error
};

/// Runs argv through the host (no shell, killed at timeout) and collects its output.
inline ProcessOutput run_process(const std::vector<std::string>& argv, uint32_t timeout_ms,
                                 std::string_view stdin_data = {}) {
    ProcessOutput output;
    const lh_host_api* host = host_api();
    if (!host || !host->run_process || argv.empty()) {
        output.status = LH_ERR_UNSUPPORTED;
        return output;
    }
    std::vector<const char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& arg : argv)
        args.push_back(arg.c_str());
    args.push_back(nullptr);

    lh_process_request request{};
    request.struct_size = sizeof request;
    request.argv = args.data();
    request.timeout_ms = timeout_ms;
    request.stdin_data = stdin_data.empty() ? nullptr : stdin_data.data();
    request.stdin_size = stdin_data.size();
    request.user_data = &output;
    request.on_output = [](void* user_data, int32_t stream, const char* data, size_t size) {
        auto* collected = static_cast<ProcessOutput*>(user_data);
        (stream == LH_STREAM_STDERR ? collected->err : collected->out).append(data, size);
    };
    lh_process_result result{};
    result.struct_size = sizeof result;
    output.status = host->run_process(host, &request, &result);
    output.exit_code = result.exit_code;
    output.term_signal = result.term_signal;
    output.timed_out = result.timed_out != 0;
    return output;
}

/// Typed lookups in a plugin instance's own TOML table, through the host.
class ConfigView {
public:
    explicit ConfigView(const lh_config* config) : config_(config) {}

    /// The string at a dotted key of the instance's table, or nullopt when absent.
    /// Throws Error when the key holds another type: a typo'd config must not pass silently.
    std::optional<std::string> get_string(const char* key) const {
        const auto value = lookup<const char*>(host_api()->config_get_string, key);
        return value ? std::optional<std::string>(*value) : std::nullopt;
    }
    std::optional<int64_t> get_int(const char* key) const {
        return lookup<int64_t>(host_api()->config_get_int, key);
    }
    std::optional<bool> get_bool(const char* key) const {
        const auto value = lookup<int32_t>(host_api()->config_get_bool, key);
        return value ? std::optional<bool>(*value != 0) : std::nullopt;
    }
    std::optional<int64_t> get_duration_ms(const char* key) const {
        return lookup<int64_t>(host_api()->config_get_duration_ms, key);
    }
    /// An array of strings, or nullopt when absent.
    std::optional<std::vector<std::string>> get_string_list(const char* key) const {
        std::vector<std::string> values;
        for (uint32_t index = 0;; ++index) {
            const char* value = nullptr;
            const lh_status status =
                host_api()->config_get_string_at(host_api(), config_, key, index, &value);
            if (status == LH_ERR_NOT_FOUND)
                break;
            check(status, key);
            values.emplace_back(value);
        }
        if (values.empty() && !has_key(key))
            return std::nullopt;
        return values;
    }

private:
    // One typed lookup through the host: nullopt when absent, Error when of another type.
    template <class Raw, class Function>
    std::optional<Raw> lookup(Function function, const char* key) const {
        Raw value{};
        if (!check(function(host_api(), config_, key, &value), key))
            return std::nullopt;
        return value;
    }
    // An array answers config_get_string with LH_ERR_WRONG_TYPE, so this tells "absent" from
    // "empty array".
    bool has_key(const char* key) const {
        const char* ignored = nullptr;
        return host_api()->config_get_string(host_api(), config_, key, &ignored) !=
               LH_ERR_NOT_FOUND;
    }
    static bool check(lh_status status, const char* key) {
        if (status == LH_OK)
            return true;
        if (status == LH_ERR_NOT_FOUND)
            return false;
        throw Error(status, std::string("config key '") + key + "' has the wrong type");
    }
    const lh_config* config_;
};

/// One adapter instance's view of its configuration (one [[servers]] entry).
class Instance : public ConfigView {
public:
    explicit Instance(const lh_instance_config& config)
        : ConfigView(config.config), config_(config) {}

    std::string server_id() const { return config_.server_id ? config_.server_id : ""; }
    std::string address() const { return config_.address ? config_.address : ""; }
    std::string state_dir() const { return config_.state_dir ? config_.state_dir : ""; }
    uint32_t timeout_ms() const { return config_.timeout_ms; }

private:
    lh_instance_config config_;
};

/// One handler instance's view of its configuration and folders ([handlers.<name>]).
/// Under a 1.0 agent, which knows no folders, both are empty.
class HandlerSetup : public ConfigView {
public:
    explicit HandlerSetup(const lh_handler_setup& setup)
        : ConfigView(setup.config), state_dir_(text_or_empty(setup.state_dir)),
          saved_dir_(text_or_empty(setup.saved_dir)) {}
    explicit HandlerSetup(const lh_config* config) : ConfigView(config) {}

    const std::string& state_dir() const { return state_dir_; }
    const std::string& saved_dir() const { return saved_dir_; }

private:
    static std::string text_or_empty(const char* text) { return text ? text : ""; }
    std::string state_dir_;
    std::string saved_dir_;
};

/// A running process the agent asks about; copies of lh_process_info's borrowed strings.
struct Process {
    int64_t pid = 0;
    std::string executable;
    std::string command_line;
    std::string user;
    std::string display;

    static Process from(const lh_process_info& info) {
        auto text = [](const char* value) { return std::string(value ? value : ""); };
        return {info.pid, text(info.executable), text(info.command_line), text(info.user),
                text(info.display)};
    }
};

/// One save-and-close order.
struct SaveRequest {
    int64_t pid = 0;
    uint32_t deadline_ms = 120000; // what a 1.0 agent, which sends none, gets
    std::string saved_dir;
    std::string reason;
};

/// A project the handler saved (or one the agent asks it to reopen).
struct SavedProject {
    std::string application; // "MATLAB R2024b"
    std::string path;
    int64_t saved_time = 0; // epoch seconds
};

/// Typed front of lh_saved_project_sink.
class SavedProjectSink {
public:
    explicit SavedProjectSink(const lh_saved_project_sink* sink) : sink_(sink) {}

    void saved(const SavedProject& project) {
        if (!sink_ || !sink_->saved)
            return;
        lh_saved_project record{};
        record.struct_size = sizeof record;
        record.application = project.application.c_str();
        record.path = project.path.c_str();
        record.saved_time = project.saved_time;
        sink_->saved(sink_->user_data, &record);
    }

private:
    const lh_saved_project_sink* sink_;
};

/// What a handler knows from inside the application.
enum class Activity : int32_t {
    unknown = LH_ACTIVITY_UNKNOWN,
    waiting = LH_ACTIVITY_WAITING, // waits for the user
    busy = LH_ACTIVITY_BUSY,       // a job runs: never idle
};

/// Typed front of lh_poll_sink: fills struct_size and skips callbacks the host left NULL.
class PollSink {
public:
    explicit PollSink(const lh_poll_sink& sink) : sink_(sink) {}

    void server(lh_server_status record) { emit(sink_.server, record); }
    void vendor(lh_vendor_status record) { emit(sink_.vendor, record); }
    void feature(lh_feature record) { emit(sink_.feature, record); }
    void session(lh_session record) { emit(sink_.session, record); }
    void denial(lh_denial record) { emit(sink_.denial, record); }
    void skipped(uint32_t line, const std::string& text, const std::string& reason) {
        lh_skipped_line record{};
        record.line = line;
        record.text = text.c_str();
        record.reason = reason.c_str();
        emit(sink_.skipped, record);
    }

private:
    template <class Record> void emit(void (*callback)(void*, const Record*), Record& record) {
        record.struct_size = sizeof(Record);
        if (callback)
            callback(sink_.user_data, &record);
    }
    lh_poll_sink sink_;
};

/// NUL-terminated copies of string views for the C records, in buffers reused from one record
/// to the next: a parser that returns views into the tool's output lends records without
/// allocating once the buffers have grown. What lend() returns stays valid until next_record().
class CStrings {
public:
    /// Starts a record: the strings lent for the previous one may be overwritten.
    void next_record() { used_ = 0; }

    /// A NUL inside `text` becomes U+FFFD: a C string would end there and silently cut the
    /// rest (`us\0er7` would arrive as `us`, and could name another user's session).
    const char* lend(std::string_view text) {
        if (used_ == buffers_.size())
            buffers_.emplace_back(); // a deque: the buffers already lent stay where they are
        std::string& buffer = buffers_[used_++];
        buffer.assign(text);
        for (std::size_t nul = buffer.find('\0'); nul != std::string::npos;
             nul = buffer.find('\0', nul + 3))
            buffer.replace(nul, 1, "\xEF\xBF\xBD");
        return buffer.c_str();
    }

    /// As lend(), but NULL for empty text: "not known", as records.h wants.
    const char* lend_or_null(std::string_view text) { return text.empty() ? nullptr : lend(text); }

private:
    std::deque<std::string> buffers_;
    std::size_t used_ = 0;
};

/// The result of close_session().
struct CloseOutcome {
    lh_status status = LH_OK;
    std::string message;        // why, when status is not LH_OK
    int64_t retry_after_ms = 0; // with LH_ERR_TOO_SOON
};

namespace detail {

template <class T, class = void> struct has_close : std::false_type {};
template <class T>
struct has_close<T, std::void_t<decltype(std::declval<T&>().close_session(std::string_view{}))>>
    : std::true_type {};

template <class T, class = void> struct reports_denials : std::false_type {};
template <class T>
struct reports_denials<T, std::void_t<decltype(T::reports_denials)>>
    : std::bool_constant<T::reports_denials> {};

// Runs `body`, turning any exception into a status and a message kept in `error`.
template <class Body> lh_status guarded(std::string& error, Body&& body) noexcept {
    try {
        return body();
    } catch (const Error& e) {
        error = e.what();
        return e.status() == LH_OK ? LH_ERR_GENERIC : e.status();
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "unknown exception";
    }
    return LH_ERR_GENERIC;
}

// The message of this thread's last failed create. create's *error_out points into it, and the
// ABI promises only that it lives until the next call into the plugin on this thread.
inline std::string& create_error() {
    thread_local std::string message;
    return message;
}

// A create entry point (adapter create, handler create and create_in): `body` makes the instance
// under guarded(), and *error_out is this thread's create error, "" on success.
template <class Body> lh_status guarded_create(const char** error_out, Body&& body) noexcept {
    std::string& error = create_error();
    error.clear();
    const lh_status status = guarded(error, std::forward<Body>(body));
    if (error_out)
        *error_out = error.c_str();
    return status;
}

template <class Adapter> struct AdapterBinding {
    struct Box {
        std::unique_ptr<Adapter> adapter;
        std::string last_error;
    };

    static lh_status create(const lh_instance_config* config, void** instance_out,
                            const char** error_out) noexcept {
        return guarded_create(error_out, [&] {
            auto box = std::make_unique<Box>();
            box->adapter = std::make_unique<Adapter>(Instance(*config));
            *instance_out = box.release();
            return LH_OK;
        });
    }
    static void destroy(void* instance) noexcept {
        try {
            delete static_cast<Box*>(instance);
        } catch (...) {
            // A throwing destructor must not take the host down.
        }
    }
    static lh_status poll(void* instance, const lh_poll_request* request,
                          const lh_poll_sink* sink) noexcept {
        Box& box = *static_cast<Box*>(instance);
        return guarded(box.last_error, [&] {
            PollSink typed(*sink);
            box.adapter->poll(*request, typed);
            return LH_OK;
        });
    }
    static lh_status close_session(void* instance, const char* token,
                                   lh_close_result* result) noexcept {
        Box& box = *static_cast<Box*>(instance);
        return guarded(box.last_error, [&] {
            CloseOutcome outcome = box.adapter->close_session(token ? token : "");
            box.last_error = outcome.message;
            // The host's struct may be of an older minor than this header's.
            if (result && LH_HAS_FIELD(lh_close_result, result, retry_after_ms))
                result->retry_after_ms = outcome.retry_after_ms;
            return outcome.status;
        });
    }
    static const char* last_error(void* instance) noexcept {
        return static_cast<Box*>(instance)->last_error.c_str();
    }

    static const lh_adapter_v1* table() {
        static const lh_adapter_v1 vtable = [] {
            lh_adapter_v1 t{};
            t.struct_size = sizeof t;
            t.create = &create;
            t.destroy = &destroy;
            t.poll = &poll;
            if constexpr (has_close<Adapter>::value)
                t.close_session = &close_session;
            t.last_error = &last_error;
            return t;
        }();
        return &vtable;
    }

    static uint64_t capabilities() {
        uint64_t caps = LH_CAP_POLL;
        if constexpr (has_close<Adapter>::value)
            caps |= LH_CAP_CLOSE_SESSION;
        if constexpr (reports_denials<Adapter>::value)
            caps |= LH_CAP_DENIALS;
        return caps;
    }
};

template <class T, class = void> struct has_save : std::false_type {};
template <class T>
struct has_save<T, std::void_t<decltype(std::declval<T&>().save_and_close(
                       std::declval<const SaveRequest&>(), std::declval<SavedProjectSink&>()))>>
    : std::true_type {};

template <class T, class = void> struct has_reopen : std::false_type {};
template <class T>
struct has_reopen<
    T, std::void_t<decltype(std::declval<T&>().reopen(std::declval<const SavedProject&>()))>>
    : std::true_type {};

template <class T, class = void> struct has_activity : std::false_type {};
template <class T>
struct has_activity<
    T, std::void_t<decltype(std::declval<T&>().activity(std::declval<const Process&>()))>>
    : std::true_type {};

template <class Handler> struct HandlerBinding {
    struct Box {
        explicit Box(const HandlerSetup& handler_setup) : setup(handler_setup) {}
        HandlerSetup setup;
        std::unique_ptr<Handler> handler;
        std::string last_error;
        // match() hands out feature names that must live until destroy: kept here, once each.
        std::deque<std::string> feature_names;
    };

    static lh_status create_from(const HandlerSetup& setup, void** instance_out,
                                 const char** error_out) noexcept {
        return guarded_create(error_out, [&] {
            auto box = std::make_unique<Box>(setup);
            box->handler = std::make_unique<Handler>(box->setup);
            *instance_out = box.release();
            return LH_OK;
        });
    }
    static lh_status create(const lh_config* config, void** instance_out,
                            const char** error_out) noexcept {
        return create_from(HandlerSetup(config), instance_out, error_out);
    }
    static lh_status create_in(const lh_handler_setup* setup, void** instance_out,
                               const char** error_out) noexcept {
        return create_from(HandlerSetup(*setup), instance_out, error_out);
    }
    static void destroy(void* instance) noexcept {
        try {
            delete static_cast<Box*>(instance);
        } catch (...) {
            // A throwing destructor must not take the agent down.
        }
    }
    static const char* keep(Box& box, const std::string& feature) {
        for (const std::string& known : box.feature_names)
            if (known == feature)
                return known.c_str();
        return box.feature_names.emplace_back(feature).c_str();
    }
    static lh_status match(void* instance, const lh_process_info* process,
                           const char** feature_out) noexcept {
        Box& box = *static_cast<Box*>(instance);
        return guarded(box.last_error, [&] {
            const std::vector<std::string> features =
                box.handler->features(Process::from(*process));
            if (features.empty())
                return LH_ERR_NOT_FOUND;
            *feature_out = keep(box, features.front());
            return LH_OK;
        });
    }
    static lh_status features(void* instance, const lh_process_info* process,
                              const lh_feature_sink* sink) noexcept {
        Box& box = *static_cast<Box*>(instance);
        return guarded(box.last_error, [&] {
            const std::vector<std::string> features =
                box.handler->features(Process::from(*process));
            if (features.empty())
                return LH_ERR_NOT_FOUND;
            for (const std::string& feature : features)
                if (sink && sink->feature)
                    sink->feature(sink->user_data, feature.c_str());
            return LH_OK;
        });
    }
    static lh_status save_by(Box& box, const SaveRequest& request,
                             const lh_saved_project_sink* sink) {
        return guarded(box.last_error, [&] {
            SavedProjectSink typed(sink);
            box.handler->save_and_close(request, typed);
            return LH_OK;
        });
    }
    static lh_status save_and_close(void* instance, int64_t pid,
                                    const lh_saved_project_sink* sink) noexcept {
        Box& box = *static_cast<Box*>(instance);
        SaveRequest request;
        request.pid = pid;
        request.saved_dir = box.setup.saved_dir();
        return save_by(box, request, sink);
    }
    static lh_status save_and_close_by(void* instance, const lh_save_request* request,
                                       const lh_saved_project_sink* sink) noexcept {
        Box& box = *static_cast<Box*>(instance);
        SaveRequest typed;
        typed.pid = request->pid;
        if (request->deadline_ms)
            typed.deadline_ms = request->deadline_ms;
        typed.saved_dir = request->saved_dir ? request->saved_dir : box.setup.saved_dir();
        typed.reason = request->reason ? request->reason : "";
        return save_by(box, typed, sink);
    }
    static lh_status reopen(void* instance, const lh_saved_project* project) noexcept {
        Box& box = *static_cast<Box*>(instance);
        return guarded(box.last_error, [&] {
            box.handler->reopen(SavedProject{project->application ? project->application : "",
                                             project->path ? project->path : "",
                                             project->saved_time});
            return LH_OK;
        });
    }
    static lh_status activity(void* instance, const lh_process_info* process,
                              lh_app_activity* out) noexcept {
        Box& box = *static_cast<Box*>(instance);
        return guarded(box.last_error, [&] {
            const Activity state = box.handler->activity(Process::from(*process));
            if (out && LH_HAS_FIELD(lh_app_activity, out, state))
                out->state = static_cast<int32_t>(state);
            return LH_OK;
        });
    }
    static const char* last_error(void* instance) noexcept {
        return static_cast<Box*>(instance)->last_error.c_str();
    }

    static const lh_handler_v1* table() {
        static const lh_handler_v1 vtable = [] {
            lh_handler_v1 t{};
            t.struct_size = sizeof t;
            t.create = &create;
            t.destroy = &destroy;
            t.match = &match;
            t.last_error = &last_error;
            t.create_in = &create_in;
            t.features = &features;
            if constexpr (has_save<Handler>::value) {
                t.save_and_close = &save_and_close;
                t.save_and_close_by = &save_and_close_by;
            }
            if constexpr (has_reopen<Handler>::value)
                t.reopen = &reopen;
            if constexpr (has_activity<Handler>::value)
                t.activity = &activity;
            return t;
        }();
        return &vtable;
    }

    static uint64_t capabilities() {
        return has_save<Handler>::value ? uint64_t(LH_CAP_SAVE_AND_CLOSE) : 0;
    }
};

// The descriptor of a plugin with an adapter, a handler, or both (void for the missing one).
template <class Adapter, class Handler>
const lh_plugin* descriptor(const char* name, const char* version, const char* description) {
    static const lh_plugin plugin = [&] {
        lh_plugin p{};
        p.struct_size = sizeof p;
        p.abi_major = LH_ABI_MAJOR;
        p.abi_minor = LH_ABI_MINOR;
        p.name = name;
        p.version = version;
        p.description = description;
        if constexpr (!std::is_void_v<Adapter>) {
            p.kinds |= LH_KIND_ADAPTER;
            p.capabilities |= AdapterBinding<Adapter>::capabilities();
            p.adapter = AdapterBinding<Adapter>::table();
        }
        if constexpr (!std::is_void_v<Handler>) {
            p.kinds |= LH_KIND_HANDLER;
            p.capabilities |= HandlerBinding<Handler>::capabilities();
            p.handler = HandlerBinding<Handler>::table();
        }
        return p;
    }();
    return &plugin;
}

} // namespace detail
} // namespace lmharvest::sdk

/// Defines the plugin's one exported symbol for an adapter class, a handler class, or both
/// (void for the one it lacks).
#define LMHARVEST_ADAPTER_AND_HANDLER_PLUGIN(ADAPTER, HANDLER, NAME, VERSION, DESCRIPTION)         \
    LH_EXTERN_C LH_EXPORT const lh_plugin* lh_plugin_entry_v1(const lh_host_api* host) {           \
        if (!host || host->abi_major != LH_ABI_MAJOR)                                              \
            return nullptr;                                                                        \
        ::lmharvest::sdk::host_api() = host;                                                       \
        return ::lmharvest::sdk::detail::descriptor<ADAPTER, HANDLER>(NAME, VERSION, DESCRIPTION); \
    }

/// Defines the plugin's one exported symbol for an adapter class.
#define LMHARVEST_ADAPTER_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION)                                \
    LMHARVEST_ADAPTER_AND_HANDLER_PLUGIN(CLASS, void, NAME, VERSION, DESCRIPTION)

/// Defines the plugin's one exported symbol for a save-and-close handler class.
#define LMHARVEST_HANDLER_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION)                                \
    LMHARVEST_ADAPTER_AND_HANDLER_PLUGIN(void, CLASS, NAME, VERSION, DESCRIPTION)

#endif
