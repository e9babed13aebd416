// What an `lmutil lmremove` run means for the close: pure, from its exit status and output.
#pragma once

#include <cstdint>
#include <lmharvest/status.h>
#include <optional>
#include <string>
#include <string_view>

namespace lmharvest::flexnet {

struct LmremoveOutcome {
    lh_status status = LH_OK;
    std::string message;        // the tool's own words when it failed
    int64_t retry_after_ms = 0; // with LH_ERR_TOO_SOON
};

/// The FLEXlm error code lmutil reported: "(-64,..." in its output, else from an exit status
/// above 127 (lmutil exits with 256 + code: 193 is -63).
std::optional<int> flexlm_error_code(int exit_code, std::string_view output);

/// Maps a finished run: -63 not an administrator, -64 too soon (retry after
/// `too_soon_retry_ms`), -100 lingering, -41 "never checked out" (the session is gone already),
/// any other failure generic with the first meaningful line of the output.
LmremoveOutcome classify_lmremove(int exit_code, std::string_view output,
                                  int64_t too_soon_retry_ms);

} // namespace lmharvest::flexnet
