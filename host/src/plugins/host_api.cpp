// Every function here is called from C (the plugin): each one catches everything, because an
// exception unwinding through the plugin's frames would end the host.
#include "plugins/host_api.hpp"

#include "config/plugin_table.hpp"
#include "plugins/abi_sizes.hpp"

#include <chrono>
#include <spdlog/spdlog.h>

namespace lmharvest {

// The scope of the call into a plugin that this thread is in, if any.
thread_local ProcessLimitScope* current_limit = nullptr;

ProcessLimitScope::ProcessLimitScope(std::size_t max_output)
    : max_output_(max_output), outer_(current_limit) {
    current_limit = this;
}

ProcessLimitScope::~ProcessLimitScope() {
    current_limit = outer_;
}

struct ProcessLimitAccess {
    static std::size_t max_output() {
        return current_limit ? current_limit->max_output_ : default_max_output;
    }
    static void stopped(std::string why) {
        if (current_limit && current_limit->stopped_.empty())
            current_limit->stopped_ = std::move(why);
    }
};

namespace {

// "64 MB", as the config would write it.
std::string size_text(std::size_t bytes) {
    if (bytes % (1u << 20) == 0)
        return std::to_string(bytes >> 20) + " MB";
    if (bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + " KB";
    return std::to_string(bytes) + " bytes";
}

const PluginHostData& data_of(const lh_host_api* host) {
    return *static_cast<const PluginHostData*>(host->host_data);
}

const PluginTable& table_of(const lh_config* config) {
    return *reinterpret_cast<const PluginTable*>(config);
}

spdlog::level::level_enum to_spdlog(int32_t level) {
    switch (level) {
    case LH_LOG_TRACE:
        return spdlog::level::trace;
    case LH_LOG_DEBUG:
        return spdlog::level::debug;
    case LH_LOG_INFO:
        return spdlog::level::info;
    case LH_LOG_WARN:
        return spdlog::level::warn;
    default:
        return spdlog::level::err;
    }
}

lh_status to_status(Lookup lookup) {
    switch (lookup) {
    case Lookup::ok:
        return LH_OK;
    case Lookup::not_found:
        return LH_ERR_NOT_FOUND;
    case Lookup::wrong_type:
        return LH_ERR_WRONG_TYPE;
    }
    return LH_ERR_GENERIC;
}

// Runs one config lookup with the argument checks and the catch every config_get_* needs.
template <class Out, class Lookup>
lh_status config_lookup(const lh_config* config, const char* key, Out* out, Lookup&& lookup) {
    if (!config || !key || !out)
        return LH_ERR_INVALID_ARGUMENT;
    try {
        return to_status(lookup(table_of(config)));
    } catch (...) {
        return LH_ERR_GENERIC;
    }
}

void log(const lh_host_api* host, int32_t level, const char* message) {
    try {
        spdlog::log(to_spdlog(level), "plugin={} {}", data_of(host).plugin_name,
                    message ? message : "");
    } catch (...) {
        // A log line that cannot be written is dropped; the plugin must not notice.
    }
}

lh_status get_string(const lh_host_api*, const lh_config* config, const char* key,
                     const char** out) {
    return config_lookup(config, key, out,
                         [&](const PluginTable& table) { return table.get_string(key, *out); });
}

lh_status get_int(const lh_host_api*, const lh_config* config, const char* key, int64_t* out) {
    return config_lookup(config, key, out,
                         [&](const PluginTable& table) { return table.get_int(key, *out); });
}

lh_status get_bool(const lh_host_api*, const lh_config* config, const char* key, int32_t* out) {
    return config_lookup(config, key, out, [&](const PluginTable& table) {
        bool value = false;
        const Lookup lookup = table.get_bool(key, value);
        *out = value ? 1 : 0;
        return lookup;
    });
}

lh_status get_duration_ms(const lh_host_api*, const lh_config* config, const char* key,
                          int64_t* out) {
    return config_lookup(config, key, out, [&](const PluginTable& table) {
        return table.get_duration_ms(key, *out);
    });
}

lh_status get_string_at(const lh_host_api*, const lh_config* config, const char* key,
                        uint32_t index, const char** out) {
    return config_lookup(config, key, out, [&](const PluginTable& table) {
        return table.get_string_at(key, index, *out);
    });
}

int64_t monotonic_ms(const lh_host_api*) {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

ProcessRequest to_request(const lh_process_request& request) {
    ProcessRequest converted;
    converted.max_output = ProcessLimitAccess::max_output();
    for (const char* const* arg = request.argv; *arg; ++arg)
        converted.argv.emplace_back(*arg);
    if (request.timeout_ms != 0)
        converted.timeout = std::chrono::milliseconds(request.timeout_ms);
    if (request.stdin_data)
        converted.stdin_data.assign(request.stdin_data, request.stdin_size);
    if (request.on_output) {
        converted.on_output = [fn = request.on_output, user_data = request.user_data](
                                  OutputStream stream, std::string_view data) {
            fn(user_data, static_cast<int32_t>(stream), data.data(), data.size());
        };
    }
    return converted;
}

// The plugin's result struct may be of an older minor than this host's: each field is
// written only when the plugin's struct has it.
void fill_result(const ProcessResult& ran, lh_process_result& result) {
    if (LH_HAS_FIELD(lh_process_result, &result, exit_code))
        result.exit_code = ran.exit_code;
    if (LH_HAS_FIELD(lh_process_result, &result, term_signal))
        result.term_signal = ran.term_signal;
    if (LH_HAS_FIELD(lh_process_result, &result, timed_out))
        result.timed_out = ran.timed_out ? 1 : 0;
    if (LH_HAS_FIELD(lh_process_result, &result, duration_ms))
        result.duration_ms = ran.duration_ms;
}

lh_status serve_run_process(const lh_host_api* host, const lh_process_request* request,
                            lh_process_result* result) {
    if (!request || request->struct_size < size_v1_0<lh_process_request> || !request->argv ||
        !request->argv[0])
        return LH_ERR_INVALID_ARGUMENT;
    try {
        const PluginHostData& data = data_of(host);
        const ProcessResult ran = data.run_process(to_request(*request));
        if (result)
            fill_result(ran, *result);
        if (!ran.started) {
            spdlog::warn("plugin={} could not start '{}': {}", data.plugin_name, request->argv[0],
                         ran.error);
            return LH_ERR_SPAWN;
        }
        if (ran.output_limited) {
            const std::string why = "the host killed '" + std::string(request->argv[0]) +
                                    "': its output passed max_output (" +
                                    size_text(ProcessLimitAccess::max_output()) + ")";
            spdlog::warn("plugin={} {}", data.plugin_name, why);
            ProcessLimitAccess::stopped(why);
            return LH_ERR_GENERIC; // no status of ABI 1.0 names it; the host's message does
        }
        return ran.timed_out ? LH_ERR_TIMEOUT : LH_OK;
    } catch (...) {
        return LH_ERR_GENERIC;
    }
}

} // namespace

lh_host_api make_host_api(PluginHostData& data) {
    lh_host_api api{};
    api.struct_size = sizeof api;
    api.abi_major = LH_ABI_MAJOR;
    api.abi_minor = LH_ABI_MINOR;
    api.host_version = LMHARVEST_HOST_VERSION;
    api.host_data = &data;
    api.log = &log;
    api.config_get_string = &get_string;
    api.config_get_int = &get_int;
    api.config_get_bool = &get_bool;
    api.config_get_duration_ms = &get_duration_ms;
    api.config_get_string_at = &get_string_at;
    api.monotonic_ms = &monotonic_ms;
    api.run_process = &serve_run_process;
    return api;
}

} // namespace lmharvest
