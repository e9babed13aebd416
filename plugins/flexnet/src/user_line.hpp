// Reads one lmstat user line (a checkout) or queued line, anchored on the right:
//   user host display (vVER) (server/port handle), start Ddd M/D H:MM[, N licenses][  (linger: a /
//   b)][, PID: n] user host display (vVER) (server/port handle) queued for N licenses
#pragma once

#include "lmstat_records.hpp"
#include "start_time.hpp"

#include <cstddef>
#include <string_view>

namespace lmharvest::flexnet {

/// Where a user line's "), start " marker (else its ") queued for " marker) begins: the ')'
/// closing the server handle. Found in one pass from the right, so dispatch and parse share it.
struct UserLineMarker {
    size_t close = std::string_view::npos;
    bool queued = false;

    explicit operator bool() const { return close != std::string_view::npos; }
};

/// The marker of a user or queued line (already trimmed); false for any other line. Cheap.
UserLineMarker find_user_line_marker(std::string_view line);

/// Fills `session` from a trimmed line and its marker; the text fields view `line`. Returns
/// nullptr on success, else why the line could not be read (a static string). Never throws.
const char* parse_user_line(std::string_view line, UserLineMarker marker, StartTimeResolver& times,
                            Session& session);

} // namespace lmharvest::flexnet
