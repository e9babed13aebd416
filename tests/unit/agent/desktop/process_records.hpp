// Hand-made process-table rows for the pure tests.
#pragma once

#include "agent/desktop/process_table.hpp"

namespace lmharvest::agent::test_rows {

inline ProcessEntry process(int64_t pid, int64_t ppid, uint64_t cpu_ticks = 0) {
    ProcessEntry entry;
    entry.pid = pid;
    entry.ppid = ppid;
    entry.cpu_ticks = cpu_ticks;
    return entry;
}

} // namespace lmharvest::agent::test_rows
