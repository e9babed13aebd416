// A minimal host for driving the real lmx.so in tests: a config table from maps, logging into a
// vector, and child processes through the host's own process runner (lh_process).
#pragma once

#include <lmharvest/plugin.h>
#include <map>
#include <string>
#include <vector>

namespace lmharvest::lmx::testing {

struct TestConfig {
    std::map<std::string, std::string> strings;
    std::map<std::string, std::vector<std::string>> lists;
};

/// What one poll reported, copied out of the borrowed records.
struct PollRecords {
    std::vector<lh_server_status> servers; // string fields not kept
    std::vector<std::string> server_messages;
    std::vector<lh_feature> features; // string fields not kept
    std::vector<std::string> feature_names;
    std::vector<std::string> session_users;
    std::vector<std::string> session_servers;
    std::vector<std::string> close_tokens;
    std::size_t skipped = 0;
};

class TestHost {
public:
    TestHost();
    const lh_host_api* api() const { return &api_; }
    const std::vector<std::string>& log() const { return log_; }

private:
    lh_host_api api_{};
    std::vector<std::string> log_;
};

/// lmx.so, loaded from the build's plugin folder with RTLD_NOW | RTLD_LOCAL.
class LmxPlugin {
public:
    explicit LmxPlugin(const TestHost& host);
    ~LmxPlugin();
    LmxPlugin(const LmxPlugin&) = delete;
    LmxPlugin& operator=(const LmxPlugin&) = delete;
    const lh_plugin& descriptor() const { return *plugin_; }

private:
    void* library_ = nullptr;
    const lh_plugin* plugin_ = nullptr;
};

/// One adapter instance for `address` with `config`; create() must succeed.
class LmxInstance {
public:
    LmxInstance(const LmxPlugin& plugin, const std::string& address, const TestConfig& config,
                uint32_t timeout_ms = 10000);
    ~LmxInstance();
    LmxInstance(const LmxInstance&) = delete;
    LmxInstance& operator=(const LmxInstance&) = delete;

    lh_status poll(PollRecords& records);
    lh_status close(const std::string& token);
    std::string last_error() const;

private:
    const lh_adapter_v1& adapter_;
    void* instance_ = nullptr;
};

/// create() of an instance that must fail: its status and message.
lh_status create_error(const LmxPlugin& plugin, const std::string& address,
                       const TestConfig& config, std::string& message);

} // namespace lmharvest::lmx::testing
