// Suspend and resume: SIGSTOP / SIGCONT to an app's whole process tree (an octave-cli's
// children stop with it, or the app would go on computing under a "suspended" pop-up).
#pragma once

#include "common/expected.hpp"

#include <cstdint>

namespace lmharvest::agent {

/// Signals `pid` and its descendants among this user's processes; the error names those that
/// could not be signalled.
Expected<void> signal_process_tree(int64_t pid, int signal_number);

/// Whether `pid` still exists (also when it is another user's).
bool process_running(int64_t pid);

} // namespace lmharvest::agent
