#include "lmremove_outcome.hpp"

#include <lmharvest/text/lines.hpp>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::flexnet {

namespace {

// The first line that says something: not blank, not lmutil's copyright banner.
std::string first_meaningful_line(std::string_view output) {
    text::LineCursor cursor(output);
    std::string_view line;
    while (cursor.next(line)) {
        line = text::trim(line);
        if (!line.empty() && line.find("Copyright") == std::string_view::npos)
            return std::string(line);
    }
    return {};
}

bool mentions(std::string_view output, std::string_view phrase) {
    return output.find(phrase) != std::string_view::npos;
}

} // namespace

std::optional<int> flexlm_error_code(int exit_code, std::string_view output) {
    for (size_t open = output.find("(-"); open != std::string_view::npos;
         open = output.find("(-", open + 1)) {
        std::string_view digits = output.substr(open + 2);
        int64_t code = 0;
        if (text::consume_uint(digits, code) && !digits.empty() &&
            (digits.front() == ',' || digits.front() == ')') && code < 100000)
            return -static_cast<int>(code);
    }
    if (exit_code > 127 && exit_code < 256)
        return exit_code - 256;
    return std::nullopt;
}

LmremoveOutcome classify_lmremove(int exit_code, std::string_view output,
                                  int64_t too_soon_retry_ms) {
    LmremoveOutcome outcome;
    const std::optional<int> code = flexlm_error_code(exit_code, output);
    if (exit_code == 0 && !code)
        return outcome;
    outcome.message = first_meaningful_line(output);
    if (outcome.message.empty())
        outcome.message = "lmremove exited with status " + std::to_string(exit_code);
    if (code == -63 || mentions(output, "not a license administrator"))
        outcome.status = LH_ERR_PERMISSION;
    else if (code == -64 || mentions(output, "minimum lmremove interval"))
        outcome.status = LH_ERR_TOO_SOON;
    else if (code == -100 || mentions(output, "linger license"))
        outcome.status = LH_ERR_LINGERING;
    else if (code == -41 || mentions(output, "never checked out"))
        outcome.status = LH_ERR_ALREADY_GONE;
    else
        outcome.status = LH_ERR_GENERIC;
    if (outcome.status == LH_ERR_TOO_SOON)
        outcome.retry_after_ms = too_soon_retry_ms;
    return outcome;
}

} // namespace lmharvest::flexnet
