// The close command: an argv template from the config, with placeholders filled per session.
// LM-X's own documentation does not give the remove option publicly, so the template is
// required configuration (docs/lmx.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::lmx {

/// What a template's placeholders stand for. {password} is filled separately, at close time.
struct CloseFields {
    std::string feature;
    std::string version;
    std::string user;
    std::string host;
    std::string server_host;
    std::string port;
    std::string vendor;
};

/// Why `argv` is not a usable template (empty, unknown placeholder, '{' without '}'), or
/// nullopt when it is. Placeholders: {feature} {version} {user} {host} {server_host} {port}
/// {vendor} {password}; "{{" and "}}" stand for literal braces.
std::optional<std::string> close_template_problem(const std::vector<std::string>& argv);

/// True when some element of the template holds {password}.
bool close_template_uses_password(const std::vector<std::string>& argv);

/// The template with every placeholder replaced. `argv` must have passed
/// close_template_problem().
std::vector<std::string> expand_close_command(const std::vector<std::string>& argv,
                                              const CloseFields& fields, std::string_view password);

} // namespace lmharvest::lmx
