#include "agent/signal_tree.hpp"

#include "agent/desktop/process_table.hpp"

#include <cerrno>
#include <csignal>
#include <string>
#include <unistd.h>

namespace lmharvest::agent {

Expected<void> signal_process_tree(int64_t pid, int signal_number) {
    auto table = list_processes(::getuid());
    if (!table)
        return unexpected(table.error());
    std::string failed;
    for (int64_t member : process_tree(*table, pid))
        if (::kill(static_cast<pid_t>(member), signal_number) != 0)
            failed += " " + std::to_string(member);
    if (!failed.empty())
        return unexpected("could not signal process(es)" + failed);
    return {};
}

bool process_running(int64_t pid) {
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace lmharvest::agent
