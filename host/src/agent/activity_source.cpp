#include "agent/activity_source.hpp"

#include <algorithm>
#include <unistd.h>

namespace lmharvest::agent {

void CpuOnlyActivity::sample(const std::vector<ProcessEntry>& table) {
    const auto now = std::chrono::steady_clock::now();
    previous_ticks_.clear();
    for (const ProcessEntry& entry : table_)
        previous_ticks_[entry.pid] = entry.cpu_ticks;
    elapsed_s_ = previous_time_ == std::chrono::steady_clock::time_point{}
                     ? 0
                     : std::chrono::duration<double>(now - previous_time_).count();
    previous_time_ = now;
    table_ = table;
}

AppFigures CpuOnlyActivity::app(int64_t pid) const {
    AppFigures figures;
    if (elapsed_s_ <= 0)
        return figures;
    uint64_t ticks = 0;
    for (int64_t member : process_tree(table_, pid))
        for (const ProcessEntry& entry : table_)
            if (entry.pid == member) {
                const auto before = previous_ticks_.find(member);
                // A process new since the last sample used what it shows so far.
                const uint64_t start = before == previous_ticks_.end() ? 0 : before->second;
                ticks += entry.cpu_ticks >= start ? entry.cpu_ticks - start : 0;
            }
    const double per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
    // The protocol caps it at 64 cores.
    figures.cpu_percent =
        std::min(6400.0, 100.0 * static_cast<double>(ticks) / per_second / elapsed_s_);
    return figures;
}

} // namespace lmharvest::agent
