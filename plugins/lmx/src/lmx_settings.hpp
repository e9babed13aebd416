// The lmx plugin's configuration: the [servers.lmx] table of one [[servers]] entry, read and
// checked once, in create().
#pragma once

#include "lmx_address.hpp"

#include <cstdint>
#include <lmharvest/plugin.hpp>
#include <string>
#include <vector>

namespace lmharvest::lmx {

/// How poll() asks: -licstatxml (strict XML), -licstat (text), or -licstatxml read as XML when
/// it is XML and as text otherwise.
enum class QueryFormat { xml, text, automatic };

struct LmxSettings {
    LmxAddress address;
    uint32_t timeout_ms = 0;
    std::string lmxendutil = "lmxendutil";
    QueryFormat format = QueryFormat::xml;
    std::vector<std::string> extra_args;
    std::vector<std::string> close_command; // empty: closing is not configured
    std::string password_file;              // empty: no password
};

/// Reads every key of the table (the host refuses keys no plugin reads). Throws sdk::Error
/// with LH_ERR_INVALID_ARGUMENT and a message naming the key for a bad value.
LmxSettings read_settings(const sdk::Instance& instance);

/// argv of one status query.
std::vector<std::string> status_command(const LmxSettings& settings, bool xml);

} // namespace lmharvest::lmx
