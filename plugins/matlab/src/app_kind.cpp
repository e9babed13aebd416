#include "app_kind.hpp"

#include <string_view>

namespace lmharvest::matlab {
namespace {

std::string_view file_name(std::string_view path) {
    const size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "octave-cli-7.3.0" -> "octave-cli": Debian installs versioned binaries beside the links.
std::string_view without_version(std::string_view name) {
    const size_t dash = name.rfind('-');
    if (dash != std::string_view::npos && dash + 1 < name.size() && name[dash + 1] >= '0' &&
        name[dash + 1] <= '9')
        return name.substr(0, dash);
    return name;
}

std::optional<App> app_named(std::string_view name) {
    name = without_version(file_name(name));
    if (name == "matlab" || name == "MATLAB")
        return App::matlab;
    if (name == "octave" || name == "octave-cli" || name == "octave-gui")
        return App::octave;
    return std::nullopt;
}

} // namespace

std::optional<App> app_of(const sdk::Process& process) {
    if (const auto app = app_named(process.executable))
        return app;
    const std::string_view command_line = process.command_line;
    return app_named(command_line.substr(0, command_line.find(' ')));
}

} // namespace lmharvest::matlab
