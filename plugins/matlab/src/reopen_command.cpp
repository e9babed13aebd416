#include "reopen_command.hpp"

#include <fstream>
#include <lmharvest/plugin.hpp>

namespace lmharvest::matlab {
namespace {

// A single-quoted M string literal.
std::string m_string(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) {
        quoted += c;
        if (c == '\'')
            quoted += '\'';
    }
    return quoted + "'";
}

std::filesystem::path saved_folder(const std::filesystem::path& workspace) {
    std::filesystem::path sidecar = workspace;
    sidecar.replace_extension(".folder");
    std::ifstream in(sidecar);
    std::string folder;
    std::error_code error;
    if (std::getline(in, folder) && std::filesystem::is_directory(folder, error))
        return folder;
    return workspace.parent_path();
}

} // namespace

App app_of_project(const std::string& application) {
    if (application.rfind("Octave", 0) == 0)
        return App::octave;
    if (application.rfind("MATLAB", 0) == 0)
        return App::matlab;
    throw sdk::Error(LH_ERR_INVALID_ARGUMENT,
                     "matlab: cannot reopen a project of \"" + application + "\"");
}

ReopenPlan reopen_plan(App app, std::vector<std::string> command,
                       const std::filesystem::path& extension_dir,
                       const std::filesystem::path& workspace) {
    const std::string code = "addpath(" + m_string(extension_dir.string()) + "); load(" +
                             m_string(workspace.string()) + "); lmharvest_extension('start');";
    if (app == App::octave)
        command.insert(command.end(), {"--persist", "--eval", code});
    else
        command.insert(command.end(), {"-r", code});
    return {std::move(command), saved_folder(workspace)};
}

} // namespace lmharvest::matlab
