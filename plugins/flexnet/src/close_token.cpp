#include "close_token.hpp"

#include <charconv>

namespace lmharvest::flexnet {

namespace {

void append_field(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

bool take_field(std::string_view& in, std::string& field) {
    size_t length = 0;
    const auto [end, error] = std::from_chars(in.data(), in.data() + in.size(), length);
    if (error != std::errc() || end == in.data() || end == in.data() + in.size() || *end != ':')
        return false;
    in.remove_prefix(static_cast<size_t>(end - in.data()) + 1);
    if (length > in.size())
        return false;
    field.assign(in.substr(0, length));
    in.remove_prefix(length);
    return true;
}

} // namespace

std::string encode_close_token(const CloseTarget& target) {
    std::string token(1, target.form == CloseTarget::Form::handle ? 'h' : 'u');
    append_field(token, target.feature);
    append_field(token, target.first);
    append_field(token, target.second);
    append_field(token, target.third);
    return token;
}

std::optional<CloseTarget> decode_close_token(std::string_view token) {
    if (token.empty() || (token[0] != 'h' && token[0] != 'u'))
        return std::nullopt;
    CloseTarget target;
    target.form = token[0] == 'h' ? CloseTarget::Form::handle : CloseTarget::Form::user;
    token.remove_prefix(1);
    if (!take_field(token, target.feature) || !take_field(token, target.first) ||
        !take_field(token, target.second) || !take_field(token, target.third) || !token.empty())
        return std::nullopt;
    if (target.feature.empty())
        return std::nullopt;
    return target;
}

} // namespace lmharvest::flexnet
