#include "lmx_settings.hpp"

#include "close_command.hpp"

namespace lmharvest::lmx {
namespace {

[[noreturn]] void refuse(const std::string& message) {
    throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "lmx: " + message);
}

QueryFormat read_format(const sdk::Instance& instance) {
    const std::string format = instance.get_string("format").value_or("auto");
    if (format == "xml")
        return QueryFormat::xml;
    if (format == "text")
        return QueryFormat::text;
    if (format == "auto")
        return QueryFormat::automatic;
    refuse("format = \"" + format + "\" is not one of \"xml\", \"text\", \"auto\"");
}

} // namespace

LmxSettings read_settings(const sdk::Instance& instance) {
    LmxSettings settings;
    const std::optional<LmxAddress> address = parse_address(instance.address());
    if (!address)
        refuse("address \"" + instance.address() +
               "\" is not port@host or host (one LM-X server; HAL lists are not supported)");
    settings.address = *address;
    settings.timeout_ms = instance.timeout_ms();
    settings.lmxendutil = instance.get_string("lmxendutil").value_or(settings.lmxendutil);
    if (settings.lmxendutil.empty())
        refuse("lmxendutil must name the program");
    settings.format = read_format(instance);
    settings.extra_args = instance.get_string_list("extra_args").value_or(settings.extra_args);
    settings.password_file = instance.get_string("password_file").value_or("");
    if (std::optional<std::vector<std::string>> close = instance.get_string_list("close_command")) {
        if (const std::optional<std::string> problem = close_template_problem(*close))
            refuse("close_command: " + *problem);
        if (close_template_uses_password(*close) && settings.password_file.empty())
            refuse("close_command uses {password} but password_file is not set");
        settings.close_command = std::move(*close);
    }
    return settings;
}

std::vector<std::string> status_command(const LmxSettings& settings, bool xml) {
    std::vector<std::string> argv = {settings.lmxendutil,
                                     xml ? "-licstatxml" : "-licstat",
                                     "-host",
                                     settings.address.host,
                                     "-port",
                                     std::to_string(settings.address.port)};
    argv.insert(argv.end(), settings.extra_args.begin(), settings.extra_args.end());
    return argv;
}

} // namespace lmharvest::lmx
