#include "close_outcome.hpp"

#include <algorithm>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::lmx {
namespace {

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != text.end();
}

// The tool's message in one line: its error stream, else its output, blanks collapsed, cut at
// 300 characters. Both streams come masked: a secret cut in half would no longer be found.
std::string tool_words(std::string_view out, std::string_view err) {
    const std::string_view source = text::trim(err).empty() ? out : err;
    std::string words;
    std::string_view rest = source;
    for (std::string_view word = text::next_token(rest); !word.empty();
         word = text::next_token(rest)) {
        if (!words.empty())
            words += ' ';
        words.append(word);
        if (words.size() > 300)
            return words.substr(0, 300) + "...";
    }
    return words.empty() ? "(no output)" : words;
}

} // namespace

std::string redact(std::string_view text, std::string_view secret) {
    if (secret.empty())
        return std::string(text);
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = text.find(secret); at != std::string_view::npos;
         at = text.find(secret, from)) {
        out.append(text.substr(from, at - from));
        out += "***";
        from = at + secret.size();
    }
    out.append(text.substr(from));
    return out;
}

sdk::CloseOutcome close_outcome(const sdk::ProcessOutput& run, std::string_view program,
                                std::string_view password) {
    // Every message is redacted as a whole: the password may sit in the tool's words, in its
    // name, or read "not found" itself.
    const auto outcome = [&](lh_status status, const std::string& message) {
        return sdk::CloseOutcome{status, redact(message, password), 0};
    };
    const std::string tool(program);
    if (run.status == LH_ERR_TIMEOUT)
        return outcome(LH_ERR_TIMEOUT,
                       "lmx: close command '" + tool + "' was killed at its timeout");
    if (run.status != LH_OK)
        return outcome(LH_ERR_SPAWN, "lmx: cannot start close command '" + tool + "'");
    if (run.term_signal == 0 && run.exit_code == 0)
        return {};
    const std::string out = redact(run.out, password);
    const std::string err = redact(run.err, password);
    const std::string words = tool_words(out, err);
    if (contains_ignoring_case(out + err, "not found"))
        return outcome(LH_ERR_ALREADY_GONE, "lmx: session already gone: " + words);
    const std::string ending = run.term_signal != 0
                                   ? "was killed by signal " + std::to_string(run.term_signal)
                                   : "exited with " + std::to_string(run.exit_code);
    return outcome(LH_ERR_GENERIC, "lmx: close command '" + tool + "' " + ending + ": " + words);
}

} // namespace lmharvest::lmx
