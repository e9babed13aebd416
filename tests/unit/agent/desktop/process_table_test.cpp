#include "agent/desktop/process_table.hpp"
#include "child_process.hpp"
#include "process_records.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace lmharvest;
using namespace lmharvest::agent;
using namespace std::chrono_literals;

namespace {

std::vector<ProcessEntry> own_processes() {
    auto table = list_processes(::getuid());
    REQUIRE(table);
    return *table;
}

const ProcessEntry* find(const std::vector<ProcessEntry>& table, int64_t pid) {
    const auto it = std::find_if(table.begin(), table.end(),
                                 [&](const ProcessEntry& entry) { return entry.pid == pid; });
    return it == table.end() ? nullptr : &*it;
}

// They point into the table: not into one that is gone at the end of the statement.
const ProcessEntry* find(std::vector<ProcessEntry>&& table, int64_t pid) = delete;
const ProcessEntry* child_of(std::vector<ProcessEntry>&& table, int64_t ppid) = delete;

const ProcessEntry* child_of(const std::vector<ProcessEntry>& table, int64_t ppid) {
    const auto it = std::find_if(table.begin(), table.end(),
                                 [&](const ProcessEntry& entry) { return entry.ppid == ppid; });
    return it == table.end() ? nullptr : &*it;
}

// `sh -c 'sleep 600; :' NAME...`: the trailing ':' keeps sh from exec'ing sleep.
std::unique_ptr<test::ChildProcess> shell_with_sleep(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{"sh", "-c", "sleep 600; :"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto child = test::ChildProcess::start(argv);
    REQUIRE(child);
    REQUIRE(test::wait_until([&] {
        const auto table = own_processes();
        return child_of(table, (*child)->pid()) != nullptr;
    }));
    return std::move(*child);
}

} // namespace

TEST_CASE("a real child is listed with its parent, executable, name and command line") {
    const auto shell = shell_with_sleep({"lh-\xff-name"});
    const auto table = own_processes();
    const auto* entry = find(table, shell->pid());
    REQUIRE(entry);
    CHECK(entry->ppid == ::getpid());
    CHECK(entry->uid == ::getuid());
    CHECK(entry->name == "sh");
    CHECK(entry->executable == std::filesystem::canonical("/bin/sh").string());
    CHECK(entry->command_line == "sh -c sleep 600; : lh-\xff-name");

    const auto* sleep = child_of(table, shell->pid());
    REQUIRE(sleep);
    CHECK(sleep->name == "sleep");
    const auto tree = process_tree(table, shell->pid());
    CHECK(tree == std::vector<int64_t>{shell->pid(), sleep->pid});
}

TEST_CASE("a comm with spaces, parentheses and bytes that are not UTF-8 is read whole") {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::prctl(PR_SET_NAME, "x) (y \xff", 0, 0, 0);
        ::kill(::getpid(), SIGSTOP); // named now: the test may look
        ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, WUNTRACED) == child);
    const auto table = own_processes();
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    const auto* entry = find(table, child);
    REQUIRE(entry);
    CHECK(entry->name == "x) (y \xff");
    CHECK(entry->ppid == ::getpid());
}

TEST_CASE("a long command line is cut at 4 KB") {
    const auto shell = shell_with_sleep({std::string(10000, 'a')});
    const auto table = own_processes();
    const auto* entry = find(table, shell->pid());
    REQUIRE(entry);
    CHECK(entry->command_line.size() == max_command_line);
    CHECK(entry->command_line.starts_with("sh -c sleep 600; : aaaa"));
}

TEST_CASE("only the given user's processes are listed; every process without a uid") {
    const auto mine = own_processes();
    CHECK(find(mine, ::getpid()));
    CHECK(std::all_of(mine.begin(), mine.end(),
                      [](const ProcessEntry& entry) { return entry.uid == ::getuid(); }));
    const auto others = list_processes(::getuid() + 12345);
    REQUIRE(others);
    CHECK_FALSE(find(*others, ::getpid()));
    const auto all = list_processes(std::nullopt);
    REQUIRE(all);
    CHECK(find(*all, ::getpid()));
    CHECK(find(*all, 1)); // init, whoever we are
}

TEST_CASE("processes that end while the table is read are skipped, never an error") {
    std::atomic<bool> stop{false};
    std::atomic<int> spawned{0};
    std::thread churn([&] {
        while (!stop) {
            if (const pid_t pid = ::fork(); pid == 0) {
                ::_exit(0);
            } else if (pid > 0) {
                ::waitpid(pid, nullptr, 0);
                ++spawned;
            }
        }
    });
    int listed = 0;
    for (int i = 0; i < 100; ++i) {
        const auto table = list_processes(::getuid());
        listed += table.has_value();
        if (table)
            CHECK(find(*table, ::getpid()));
    }
    stop = true;
    churn.join();
    CHECK(listed == 100);
    CHECK(spawned > 0);
}

TEST_CASE("a busy process's CPU ticks grow, an idle one's do not") {
    auto busy = test::ChildProcess::start({"sh", "-c", "while :; do :; done"});
    REQUIRE(busy);
    const auto idle = shell_with_sleep();
    const auto before = own_processes();
    std::this_thread::sleep_for(1500ms);
    const auto after = own_processes();
    REQUIRE(find(before, (*busy)->pid()));
    REQUIRE(find(after, (*busy)->pid()));
    CHECK(find(after, (*busy)->pid())->cpu_ticks > find(before, (*busy)->pid())->cpu_ticks);
    CHECK(find(after, idle->pid())->cpu_ticks == find(before, idle->pid())->cpu_ticks);
}

TEST_CASE("a process tree holds the pid and all its descendants, once each") {
    using test_rows::process;
    const std::vector<ProcessEntry> table{
        process(1, 0), process(10, 1), process(11, 10), process(12, 10), process(13, 11),
        process(20, 1),
        // A cycle, as a table read mid-reparenting could show: visited once.
        process(30, 31), process(31, 30)};
    auto tree = process_tree(table, 10);
    std::sort(tree.begin(), tree.end());
    CHECK(tree == std::vector<int64_t>{10, 11, 12, 13});
    CHECK(process_tree(table, 20) == std::vector<int64_t>{20});
    CHECK(process_tree(table, 30) == std::vector<int64_t>{30, 31});
    CHECK(process_tree(table, 99) == std::vector<int64_t>{99});
}
