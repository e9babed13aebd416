#include "agent/desktop/process_table.hpp"

#include "process/proc_stat.hpp"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace lmharvest::agent {

std::optional<std::string> read_proc_file(const std::string& path, std::size_t limit) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string text;
    char buffer[4096];
    while (text.size() < limit) {
        const auto got = ::read(fd, buffer, std::min(sizeof buffer, limit - text.size()));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fd);
    return text;
}

namespace {

std::string read_link(const std::string& path) {
    char target[4096];
    const auto length = ::readlink(path.c_str(), target, sizeof target);
    return length > 0 ? std::string(target, static_cast<std::size_t>(length)) : std::string();
}

// One process, or nullopt when it vanished (or turned unreadable) while being read.
std::optional<ProcessEntry> read_process(int64_t pid, std::optional<uint32_t> wanted_uid) {
    const auto dir = "/proc/" + std::to_string(pid) + "/";
    const auto status = read_proc_file(dir + "status", 64 * 1024);
    if (!status)
        return std::nullopt;
    const auto uid = parse_status_uid(*status);
    if (!uid || (wanted_uid && *uid != *wanted_uid))
        return std::nullopt;
    const auto stat_text = read_proc_file(dir + "stat", 4096);
    if (!stat_text)
        return std::nullopt;
    auto stat = parse_proc_stat(*stat_text);
    if (!stat)
        return std::nullopt;
    ProcessEntry entry;
    entry.pid = pid;
    entry.ppid = stat->ppid;
    entry.uid = *uid;
    entry.cpu_ticks = stat->cpu_ticks;
    entry.name = std::move(stat->comm);
    entry.executable = read_link(dir + "exe");
    // A zombie or kernel thread has an empty cmdline: that is a value, not a vanished process.
    entry.command_line = command_line_text(
        read_proc_file(dir + "cmdline", max_command_line + 1).value_or(""), max_command_line);
    return entry;
}

} // namespace

Expected<std::vector<ProcessEntry>> list_processes(std::optional<uint32_t> uid) {
    std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    if (!proc)
        return unexpected("cannot list /proc: " + std::string(std::strerror(errno)));
    std::vector<ProcessEntry> table;
    while (const auto* item = ::readdir(proc.get())) {
        char* end = nullptr;
        const auto pid = std::strtoll(item->d_name, &end, 10);
        if (pid <= 0 || *end != '\0')
            continue;
        if (auto entry = read_process(pid, uid))
            table.push_back(std::move(*entry));
    }
    return table;
}

std::vector<int64_t> process_tree(const std::vector<ProcessEntry>& table, int64_t pid) {
    std::unordered_multimap<int64_t, int64_t> children;
    for (const auto& entry : table)
        children.emplace(entry.ppid, entry.pid);
    std::vector<int64_t> tree{pid};
    std::unordered_set<int64_t> seen{pid};
    // Breadth first; a pid is visited once even if /proc showed a cycle mid-reparenting.
    for (std::size_t next = 0; next < tree.size(); ++next) {
        const auto [first, last] = children.equal_range(tree[next]);
        for (auto it = first; it != last; ++it)
            if (seen.insert(it->second).second)
                tree.push_back(it->second);
    }
    return tree;
}

double cpu_ticks_per_second() {
    static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    return ticks;
}

} // namespace lmharvest::agent
