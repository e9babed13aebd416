// What the integration tests drive: the real `lmharvest` binary as a child process (once, or
// as a running service), a private temporary folder, and bounded waits instead of sleeps.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lmharvest::testing {

inline const std::string lmharvest_binary = std::string(LH_BINARY_DIR) + "/host/lmharvest";
inline const std::string plugin_dir = LH_PLUGIN_BUILD_DIR;
inline const std::string emulator_dir = std::string(LH_BINARY_DIR) + "/emulators";
inline const std::string fixtures_dir = LH_FIXTURES_DIR;
inline const std::string source_dir = std::string(LH_TESTS_SOURCE_DIR) + "/..";

/// A temporary folder, removed with everything in it when the test ends.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    /// Writes `content` to `name` in the folder; returns its path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);
/// `text` with the first `from` replaced by `to`; throws when `from` is not in it (a fixture
/// that changed must not silently test nothing).
/// Two [[servers]] on the emulators, polled every second: "eng-flex" (flexnet, reading
/// $LMUTIL_EMULATOR_STATE) and "cae-lmx" (lmx, reading $LMXENDUTIL_EMULATOR_STATE).
std::string flexnet_and_lmx_servers();

std::string replace_once(std::string text, const std::string& from, const std::string& to);

/// A copy of config/demo.toml in `dir`, its state in dir/state and its plugins the built ones;
/// each of `lines` ("listen" -> "\"127.0.0.1:9\"") replaces the first line setting that key.
std::string demo_config(const TempDir& dir, const std::map<std::string, std::string>& lines = {});

struct CliRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs `lmharvest args...` to its end (killed after 60 s).
CliRun run_cli(const std::vector<std::string>& args);
/// Runs any program (argv[0] searched in PATH) to its end (killed after `limit`).
CliRun run_program(const std::vector<std::string>& argv,
                   std::chrono::seconds limit = std::chrono::seconds(60));

/// `lmharvest run --config F` as a service in the background; stopped (SIGTERM) and reaped when
/// the object goes away. Its stderr (the log) goes to a file the test can read.
class RunningHost {
public:
    /// `extra_args` go after `run --config F` (e.g. "--once"); `subcommand` "agent" runs
    /// `lmharvest agent --config F` instead.
    RunningHost(const std::string& config_file, const std::map<std::string, std::string>& env,
                const std::filesystem::path& log_file,
                const std::vector<std::string>& extra_args = {},
                const std::string& subcommand = "run");
    ~RunningHost();
    RunningHost(const RunningHost&) = delete;
    RunningHost& operator=(const RunningHost&) = delete;

    void signal(int signal_number) const;
    /// Sends SIGTERM and returns the exit status (-1 if it had to be killed).
    int stop();
    bool alive() const;
    pid_t pid() const { return pid_; }
    std::string log() const { return read_file(log_file_); }

private:
    pid_t pid_ = -1;
    std::filesystem::path log_file_;
};

/// Calls `done` until it returns true or `limit` passes; returns its last answer.
bool eventually(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(30));

/// GET http://127.0.0.1:port/path as JSON (null when unreachable or not JSON).
nlohmann::json get_json(int port, const std::string& path);
/// GET as text; empty when unreachable.
std::string get_text(int port, const std::string& path);
/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();
/// A TCP connection to 127.0.0.1:port (a file descriptor the caller closes), -1 on failure.
int connect_tcp(int port);
/// A process's resident memory in kB (VmRSS), 0 when unknown.
long resident_kb(pid_t pid);

} // namespace lmharvest::testing
