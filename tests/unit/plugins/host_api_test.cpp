// The host API a plugin receives, called the way a C plugin calls it.
#include "plugin_test_support.hpp"
#include "plugins/host_api.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>

using namespace lmharvest;

namespace {

const lh_config* as_config(const PluginTable& table) {
    return reinterpret_cast<const lh_config*>(&table);
}

struct Collected {
    std::string out;
    std::string err;
};

void collect(void* user_data, int32_t stream, const char* data, size_t size) {
    auto& collected = *static_cast<Collected*>(user_data);
    (stream == LH_STREAM_STDERR ? collected.err : collected.out).append(data, size);
}

lh_process_request request_for(const char* const* argv, Collected& collected) {
    lh_process_request request{};
    request.struct_size = sizeof request;
    request.argv = argv;
    request.timeout_ms = 5000;
    request.on_output = collect;
    request.user_data = &collected;
    return request;
}

} // namespace

TEST_CASE("the host API announces the host's ABI") {
    PluginHostData data{"p", run_process};
    const lh_host_api api = make_host_api(data);
    CHECK(api.struct_size == sizeof(lh_host_api));
    CHECK(api.abi_major == LH_ABI_MAJOR);
    CHECK(api.abi_minor == LH_ABI_MINOR);
    CHECK(api.host_data == &data);
    const int64_t first = api.monotonic_ms(&api);
    CHECK(api.monotonic_ms(&api) >= first);
}

TEST_CASE("config lookups go to the plugin's table") {
    PluginHostData data{"p", run_process};
    const lh_host_api api = make_host_api(data);
    const PluginTable table = test::table_from(R"(path = "/opt/lmutil"
port = 27000
verbose = true
wait = "1m30s"
argv = ["lmremove", "-h"]
)");
    const lh_config* config = as_config(table);
    const char* text = nullptr;
    int64_t number = 0;
    int32_t flag = 0;

    REQUIRE(api.config_get_string(&api, config, "path", &text) == LH_OK);
    CHECK(std::string(text) == "/opt/lmutil");
    REQUIRE(api.config_get_int(&api, config, "port", &number) == LH_OK);
    CHECK(number == 27000);
    REQUIRE(api.config_get_bool(&api, config, "verbose", &flag) == LH_OK);
    CHECK(flag == 1);
    REQUIRE(api.config_get_duration_ms(&api, config, "wait", &number) == LH_OK);
    CHECK(number == 90000);
    REQUIRE(api.config_get_string_at(&api, config, "argv", 1, &text) == LH_OK);
    CHECK(std::string(text) == "-h");
    CHECK(api.config_get_string_at(&api, config, "argv", 2, &text) == LH_ERR_NOT_FOUND);
    CHECK(api.config_get_string(&api, config, "absent", &text) == LH_ERR_NOT_FOUND);
    CHECK(api.config_get_int(&api, config, "path", &number) == LH_ERR_WRONG_TYPE);
    CHECK(api.config_get_int(&api, config, nullptr, &number) == LH_ERR_INVALID_ARGUMENT);
    CHECK(api.config_get_int(&api, nullptr, "port", &number) == LH_ERR_INVALID_ARGUMENT);
}

TEST_CASE("log lines carry the plugin's name") {
    std::ostringstream lines;
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
    logger->set_pattern("%l %v");
    logger->set_level(spdlog::level::trace);
    const auto previous = spdlog::default_logger();
    spdlog::set_default_logger(logger);

    PluginHostData data{"flexnet", run_process};
    const lh_host_api api = make_host_api(data);
    api.log(&api, LH_LOG_WARN, "lmutil missing");
    api.log(&api, LH_LOG_DEBUG, nullptr);
    spdlog::set_default_logger(previous);

    CHECK(lines.str() == "warning plugin=flexnet lmutil missing\ndebug plugin=flexnet \n");
}

TEST_CASE("run_process runs a real child and streams its output") {
    PluginHostData data{"p", run_process};
    const lh_host_api api = make_host_api(data);
    const char* const argv[] = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3", nullptr};
    Collected collected;
    const lh_process_request request = request_for(argv, collected);
    lh_process_result result{};
    result.struct_size = sizeof result;

    REQUIRE(api.run_process(&api, &request, &result) == LH_OK);
    CHECK(collected.out == "out\n");
    CHECK(collected.err == "err\n");
    CHECK(result.exit_code == 3);
    CHECK(result.timed_out == 0);
}

TEST_CASE("run_process maps spawn failures and timeouts to status codes") {
    PluginHostData data{"p", run_process};
    const lh_host_api api = make_host_api(data);
    Collected collected;
    lh_process_result result{};
    result.struct_size = sizeof result;

    const char* const missing[] = {"/no/such/tool", nullptr};
    const lh_process_request spawn = request_for(missing, collected);
    CHECK(api.run_process(&api, &spawn, &result) == LH_ERR_SPAWN);

    const char* const slow[] = {"/bin/sleep", "5", nullptr};
    lh_process_request timeout = request_for(slow, collected);
    timeout.timeout_ms = 100;
    CHECK(api.run_process(&api, &timeout, &result) == LH_ERR_TIMEOUT);
    CHECK(result.timed_out == 1);

    const char* const empty[] = {nullptr};
    const lh_process_request nothing = request_for(empty, collected);
    CHECK(api.run_process(&api, &nothing, &result) == LH_ERR_INVALID_ARGUMENT);
}

TEST_CASE("run_process goes through the runner the registry was given") {
    ProcessRequest seen;
    PluginHostData data{"p", [&seen](const ProcessRequest& request) {
                            seen = request;
                            request.on_output(OutputStream::out, "replayed");
                            ProcessResult result;
                            result.started = true;
                            result.exit_code = 0;
                            return result;
                        }};
    const lh_host_api api = make_host_api(data);
    const char* const argv[] = {"lmutil", "lmstat", "-a", nullptr};
    Collected collected;
    lh_process_request request = request_for(argv, collected);
    request.timeout_ms = 0; // the host's default
    request.stdin_data = "y\n";
    request.stdin_size = 2;

    REQUIRE(api.run_process(&api, &request, nullptr) == LH_OK);
    CHECK(seen.argv == std::vector<std::string>{"lmutil", "lmstat", "-a"});
    CHECK(seen.timeout == std::chrono::milliseconds(30000));
    CHECK(seen.stdin_data == "y\n");
    CHECK(collected.out == "replayed");
}

TEST_CASE("an exception in the runner does not cross into the plugin") {
    PluginHostData data{"p", [](const ProcessRequest&) -> ProcessResult {
                            throw std::runtime_error("runner broke");
                        }};
    const lh_host_api api = make_host_api(data);
    const char* const argv[] = {"lmutil", nullptr};
    Collected collected;
    const lh_process_request request = request_for(argv, collected);
    CHECK(api.run_process(&api, &request, nullptr) == LH_ERR_GENERIC);
}

TEST_CASE("run_process applies the calling instance's max_output, and says why it stopped") {
    PluginHostData data{"p", &run_process};
    const lh_host_api api = make_host_api(data);
    const char* const argv[] = {"yes", nullptr};
    Collected collected;
    const lh_process_request request = request_for(argv, collected);
    lh_process_result result{};
    result.struct_size = sizeof result;
    {
        ProcessLimitScope limit(2048);
        CHECK(api.run_process(&api, &request, &result) == LH_ERR_GENERIC);
        CHECK(collected.out.size() == 2048);
        CHECK(result.term_signal == SIGKILL);
        CHECK(limit.stopped() == "the host killed 'yes': its output passed max_output (2 KB)");
    }
    ProcessRequest seen;
    PluginHostData outside{"p", [&seen](const ProcessRequest& request) {
                               seen = request;
                               ProcessResult ran;
                               ran.started = true;
                               return ran;
                           }};
    const lh_host_api outside_api = make_host_api(outside);
    CHECK(outside_api.run_process(&outside_api, &request, nullptr) == LH_OK);
    CHECK(seen.max_output == default_max_output); // no scope: a plugin thread of its own
}
