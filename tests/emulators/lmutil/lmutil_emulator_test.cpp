// Runs the lmutil emulator as a real process on a copy of a real capture.
#include "lmstat_parser.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;
using lmharvest::flexnet::parse_lmstat;

namespace {

struct Run {
    int exit_code = -1;
    std::string out;
};

// argv without a shell: displays hold backticks and quotes.
Run run_lmutil(const std::string& state, std::vector<std::string> args) {
    args.insert(args.begin(), LMUTIL_EMULATOR);
    std::vector<char*> argv;
    for (std::string& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string env_state = "LMUTIL_EMULATOR_STATE=" + state;
    std::vector<char*> env{const_cast<char*>(env_state.c_str()), nullptr};
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    pid_t pid = 0;
    REQUIRE(::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    Run run;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
        run.out.append(buffer, static_cast<size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

struct StateFile {
    fs::path dir;
    std::string path;
    explicit StateFile(const std::string& fixture) {
        std::string pattern = (fs::temp_directory_path() / "lh-lmutil-XXXXXX").string();
        dir = ::mkdtemp(pattern.data());
        path = (dir / "state.txt").string();
        fs::copy_file(std::string(LH_FIXTURES_DIR) + "/flexnet/" + fixture, path);
    }
    ~StateFile() { fs::remove_all(dir); }
    void mode(const std::string& word) const { std::ofstream(path + ".mode") << word << '\n'; }
};

constexpr int64_t poll_time = 1563000000; // July 2019, like the capture

} // namespace

TEST_CASE("the emulator prints its state and removes sessions by handle and by user") {
    const StateFile state("14-wildsong-arcgis-garbled-display.txt");
    Run stat = run_lmutil(state.path, {"lmstat", "-a", "-c", "27000@myserver-GIS"});
    CHECK(stat.exit_code == 0);
    auto parsed = parse_lmstat(stat.out, poll_time);
    REQUIRE(parsed.sessions.size() == 3);

    Run removed = run_lmutil(state.path, {"lmremove", "-c", "27000@myserver-GIS", "-h", "ARC/INFO",
                                          "MYSERVER-GIS", "27000", "101"});
    CHECK(removed.exit_code == 0);
    stat = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"});
    parsed = parse_lmstat(stat.out, poll_time);
    REQUIRE(parsed.sessions.size() == 2);
    CHECK(parsed.sessions[0].handle == "202");
    CHECK(parsed.features[1].name == "ARC/INFO");
    CHECK(parsed.features[1].used == 1);
    CHECK(parsed.skipped.size() == 1); // the capture's own shell-command line

    Run again = run_lmutil(
        state.path, {"lmremove", "-c", "x", "-h", "ARC/INFO", "MYSERVER-GIS", "27000", "101"});
    CHECK(again.exit_code == 215);
    CHECK(again.out.find("(-41,") != std::string::npos);

    Run by_user = run_lmutil(state.path,
                             {"lmremove", "-c", "x", "VBA", "zdgo", "machine2", "8e/^i`qunDiW@tT"});
    CHECK(by_user.exit_code == 0);
    stat = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"});
    parsed = parse_lmstat(stat.out, poll_time);
    CHECK(parsed.sessions.size() == 1);
    CHECK(parsed.features.back().used == 0);
}

TEST_CASE("the emulator's modes: down, fail and the lmremove refusals") {
    const StateFile state("08-flexlm-exporter-app8-saltd.txt");
    state.mode("down");
    const Run down_stat = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"});
    const auto down = parse_lmstat(down_stat.out, 0);
    CHECK(down.query_error.find("Cannot connect to license server") != std::string::npos);
    state.mode("fail");
    CHECK(run_lmutil(state.path, {"lmstat", "-a", "-c", "x"}).exit_code == 1);
    state.mode("not_admin");
    CHECK(run_lmutil(state.path, {"lmremove", "-c", "x", "f", "u", "h", "d"}).exit_code == 193);
    state.mode("too_soon");
    CHECK(run_lmutil(state.path, {"lmremove", "-c", "x", "f", "u", "h", "d"}).out.find("(-64,") !=
          std::string::npos);
    state.mode("linger");
    CHECK(run_lmutil(state.path, {"lmremove", "-c", "x", "f", "u", "h", "d"}).exit_code == 156);
    state.mode("normal");
    const Run normal_stat = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"});
    CHECK(parse_lmstat(normal_stat.out, poll_time).sessions.size() == 4);
}

TEST_CASE("the emulator's no-answer modes print what each names") {
    const StateFile state("08-flexlm-exporter-app8-saltd.txt");
    const Run whole = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"});
    state.mode("empty");
    CHECK(run_lmutil(state.path, {"lmstat", "-a", "-c", "x"}).out.empty());
    state.mode("header");
    const std::string header = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"}).out;
    CHECK(std::count(header.begin(), header.end(), '\n') == 3);
    CHECK(whole.out.starts_with(header));
    state.mode("random");
    CHECK(run_lmutil(state.path, {"lmstat", "-a", "-c", "x"}).out.size() == 4096);
    state.mode("cut");
    const std::string cut = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"}).out;
    CHECK(whole.out.starts_with(cut));
    CHECK(parse_lmstat(cut, poll_time).sessions.size() ==
          parse_lmstat(whole.out, poll_time).sessions.size() - 1);
    state.mode("cut_line");
    const std::string cut_line = run_lmutil(state.path, {"lmstat", "-a", "-c", "x"}).out;
    CHECK(whole.out.starts_with(cut_line));
    CHECK(cut_line.size() > cut.size());
    CHECK(cut_line.back() != '\n');
}
