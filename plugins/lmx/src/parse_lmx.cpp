#include "parse_lmx.hpp"

#include <algorithm>

namespace lmharvest::lmx {

std::size_t find_xml_start(std::string_view output) {
    return std::min(output.find("<?xml"), output.find("<LM-X"));
}

LmxResult parse_lmx(std::string_view output, int64_t poll_time) {
    if (find_xml_start(output) != std::string_view::npos)
        return parse_lmx_xml(output, poll_time);
    return parse_lmx_text(output, poll_time);
}

} // namespace lmharvest::lmx
