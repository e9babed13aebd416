// Reads one lmstat user line (a checkout) or queued line, anchored on the right:
//   user host display (vVER) (server/port handle), start Ddd M/D H:MM[, N licenses][  (linger: a /
//   b)][, PID: n] user host display (vVER) (server/port handle) queued for N licenses
#pragma once

#include "lmstat_records.hpp"
#include "start_time.hpp"

#include <string_view>

namespace lmharvest::flexnet {

/// True when `line` (already trimmed) ends like a user or queued line; cheap, for dispatch.
bool looks_like_user_line(std::string_view line);

/// Fills `session` from a trimmed line. Returns nullptr on success, else why the line could not
/// be read (a static string). Never throws.
const char* parse_user_line(std::string_view line, StartTimeResolver& times, Session& session);

} // namespace lmharvest::flexnet
