// Names printed to a terminal or a log line: whatever a license server printed must not move
// the cursor, clear the screen, or start a line that looks like the host's own.
#pragma once

#include <string>
#include <string_view>

namespace lmharvest::text {

/// `text` with control characters shown as escapes: C0 as `\n`, `\r`, `\t` or `\x1b`, DEL as
/// `\x7f`, C1 and the bidirectional and line-separator controls as `\u009b`, `\u202e`, and bytes
/// that are not UTF-8 as `\xf6`. A backslash stays as it is: this is for the eye, not a format
/// to read back, and it leaves Windows paths readable. Text without any of these comes back
/// unchanged.
std::string escape_for_terminal(std::string_view text);

} // namespace lmharvest::text
