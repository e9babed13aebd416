// The workstation's processes from /proc: who runs what, under which parent, with how much CPU.
#pragma once

#include "common/expected.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::agent {

struct ProcessEntry {
    int64_t pid = 0;
    int64_t ppid = 0;
    uint32_t uid = 0;
    std::string executable;   // readlink /proc/PID/exe ("" when unreadable)
    std::string command_line; // /proc/PID/cmdline, NULs as spaces, bounded to 4 KB
    std::string name;         // /proc/PID/comm
    uint64_t cpu_ticks = 0;   // utime + stime from /proc/PID/stat
};

/// Bytes of /proc/PID/cmdline kept in ProcessEntry::command_line.
inline constexpr std::size_t max_command_line = 4096;

/// Reads up to `limit` bytes of a /proc file; nullopt when it cannot be opened (the process
/// ended, or it is not ours to read).
std::optional<std::string> read_proc_file(const std::string& path, std::size_t limit);

/// The processes of one user (every process when uid is nullopt). Processes that vanish while
/// being read are skipped, never an error.
Expected<std::vector<ProcessEntry>> list_processes(std::optional<uint32_t> uid);

/// `pid` and every descendant of it in `table`.
std::vector<int64_t> process_tree(const std::vector<ProcessEntry>& table, int64_t pid);

/// Clock ticks per second of ProcessEntry::cpu_ticks.
double cpu_ticks_per_second();

} // namespace lmharvest::agent
