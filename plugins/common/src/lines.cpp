#include "lmharvest/text/lines.hpp"

namespace lmharvest::text {

bool LineCursor::next(std::string_view& line) {
    if (done_ || rest_.empty()) {
        done_ = true;
        return false;
    }
    const std::size_t end = rest_.find('\n');
    if (end == std::string_view::npos) {
        line = rest_;
        rest_ = {};
        done_ = true;
    } else {
        line = rest_.substr(0, end);
        rest_.remove_prefix(end + 1);
    }
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    ++number_;
    return true;
}

} // namespace lmharvest::text
