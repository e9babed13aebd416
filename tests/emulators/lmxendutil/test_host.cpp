#include "test_host.hpp"

#include "process/run_process.hpp"

#include <dlfcn.h>
#include <stdexcept>

namespace lmharvest::lmx::testing {
namespace {

const TestConfig& table(const lh_config* config) {
    return *reinterpret_cast<const TestConfig*>(config);
}

lh_status get_string(const lh_host_api*, const lh_config* config, const char* key,
                     const char** out) {
    const TestConfig& values = table(config);
    if (const auto it = values.strings.find(key); it != values.strings.end()) {
        *out = it->second.c_str();
        return LH_OK;
    }
    return values.lists.count(key) ? LH_ERR_WRONG_TYPE : LH_ERR_NOT_FOUND;
}

lh_status get_string_at(const lh_host_api*, const lh_config* config, const char* key,
                        uint32_t index, const char** out) {
    const TestConfig& values = table(config);
    const auto it = values.lists.find(key);
    if (it == values.lists.end())
        return values.strings.count(key) ? LH_ERR_WRONG_TYPE : LH_ERR_NOT_FOUND;
    if (index >= it->second.size())
        return LH_ERR_NOT_FOUND;
    *out = it->second[index].c_str();
    return LH_OK;
}

// The lmx plugin reads only strings and string arrays.
lh_status no_int(const lh_host_api*, const lh_config*, const char*, int64_t*) {
    return LH_ERR_NOT_FOUND;
}
lh_status no_bool(const lh_host_api*, const lh_config*, const char*, int32_t*) {
    return LH_ERR_NOT_FOUND;
}

lh_status run(const lh_host_api*, const lh_process_request* request, lh_process_result* result) {
    ProcessRequest child;
    for (const char* const* arg = request->argv; *arg; ++arg)
        child.argv.emplace_back(*arg);
    child.timeout = std::chrono::milliseconds(request->timeout_ms ? request->timeout_ms : 30000);
    child.max_output = 1 << 20; // the host's limit, smaller: an endless tool hits it sooner
    if (request->stdin_data)
        child.stdin_data.assign(request->stdin_data, request->stdin_size);
    child.on_output = [request](OutputStream stream, std::string_view data) {
        if (request->on_output)
            request->on_output(request->user_data, static_cast<int32_t>(stream), data.data(),
                               data.size());
    };
    const ProcessResult ran = run_process(child);
    result->exit_code = ran.exit_code;
    result->term_signal = ran.term_signal;
    result->timed_out = ran.timed_out;
    result->duration_ms = ran.duration_ms;
    if (!ran.started)
        return LH_ERR_SPAWN;
    if (ran.output_limited)
        return LH_ERR_GENERIC; // as the host's run_process answers it
    return ran.timed_out ? LH_ERR_TIMEOUT : LH_OK;
}

std::string text_of(const char* text) {
    return text ? text : "";
}

} // namespace

TestHost::TestHost() {
    api_.struct_size = sizeof api_;
    api_.abi_major = LH_ABI_MAJOR;
    api_.abi_minor = LH_ABI_MINOR;
    api_.host_version = "test";
    api_.host_data = &log_;
    api_.log = [](const lh_host_api* host, int32_t, const char* message) {
        static_cast<std::vector<std::string>*>(host->host_data)->push_back(message);
    };
    api_.config_get_string = &get_string;
    api_.config_get_int = &no_int;
    api_.config_get_bool = &no_bool;
    api_.config_get_duration_ms = &no_int;
    api_.config_get_string_at = &get_string_at;
    api_.monotonic_ms = [](const lh_host_api*) -> int64_t { return 0; };
    api_.run_process = &run;
}

LmxPlugin::LmxPlugin(const TestHost& host) {
    const std::string path = std::string(LH_PLUGIN_BUILD_DIR) + "/lmx.so";
    library_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!library_)
        throw std::runtime_error("cannot load " + path + ": " + dlerror());
    const auto entry = reinterpret_cast<lh_plugin_entry_fn>(dlsym(library_, LH_PLUGIN_ENTRY_NAME));
    plugin_ = entry ? entry(host.api()) : nullptr;
    if (!plugin_)
        throw std::runtime_error(path + " gave no plugin descriptor");
}

LmxPlugin::~LmxPlugin() {
    dlclose(library_);
}

namespace {

lh_instance_config instance_config(const std::string& address, const TestConfig& config,
                                   uint32_t timeout_ms) {
    lh_instance_config settings{};
    settings.struct_size = sizeof settings;
    settings.server_id = "test-lmx";
    settings.address = address.c_str();
    settings.timeout_ms = timeout_ms;
    settings.state_dir = "";
    settings.config = reinterpret_cast<const lh_config*>(&config);
    return settings;
}

} // namespace

LmxInstance::LmxInstance(const LmxPlugin& plugin, const std::string& address,
                         const TestConfig& config, uint32_t timeout_ms)
    : adapter_(*plugin.descriptor().adapter) {
    const lh_instance_config settings = instance_config(address, config, timeout_ms);
    const char* error = nullptr;
    if (adapter_.create(&settings, &instance_, &error) != LH_OK)
        throw std::runtime_error("create failed: " + text_of(error));
}

LmxInstance::~LmxInstance() {
    adapter_.destroy(instance_);
}

lh_status LmxInstance::poll(PollRecords& records) {
    lh_poll_sink sink{};
    sink.struct_size = sizeof sink;
    sink.user_data = &records;
    sink.server = [](void* data, const lh_server_status* record) {
        auto& out = *static_cast<PollRecords*>(data);
        out.servers.push_back(*record);
        out.server_messages.push_back(text_of(record->message));
    };
    sink.feature = [](void* data, const lh_feature* record) {
        auto& out = *static_cast<PollRecords*>(data);
        out.features.push_back(*record);
        out.feature_names.push_back(text_of(record->name));
    };
    sink.session = [](void* data, const lh_session* record) {
        auto& out = *static_cast<PollRecords*>(data);
        out.session_users.push_back(text_of(record->user) + "@" + text_of(record->host) + " " +
                                    text_of(record->feature));
        out.session_servers.push_back(text_of(record->server));
        out.close_tokens.push_back(text_of(record->close_token));
    };
    sink.skipped = [](void* data, const lh_skipped_line*) {
        ++static_cast<PollRecords*>(data)->skipped;
    };
    lh_poll_request request{};
    request.struct_size = sizeof request;
    request.poll_time = 1700000000;
    return adapter_.poll(instance_, &request, &sink);
}

lh_status LmxInstance::close(const std::string& token) {
    lh_close_result result{};
    result.struct_size = sizeof result;
    return adapter_.close_session(instance_, token.c_str(), &result);
}

std::string LmxInstance::last_error() const {
    return text_of(adapter_.last_error(instance_));
}

lh_status create_error(const LmxPlugin& plugin, const std::string& address,
                       const TestConfig& config, std::string& message) {
    const lh_instance_config settings = instance_config(address, config, 1000);
    void* instance = nullptr;
    const char* error = nullptr;
    const lh_status status = plugin.descriptor().adapter->create(&settings, &instance, &error);
    if (status == LH_OK)
        plugin.descriptor().adapter->destroy(instance);
    message = text_of(error);
    return status;
}

} // namespace lmharvest::lmx::testing
