#include "app_rules.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace lmharvest::generic {
namespace {

[[noreturn]] void refuse(const std::string& message) {
    throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "generic: " + message);
}

// App names become dotted keys ("xclock.features"), so a dot or a space would split them.
bool valid_app_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
    });
}

std::vector<std::string> non_empty_list(const sdk::ConfigView& config, const std::string& key,
                                        const std::string& example) {
    const auto values = config.get_string_list(key.c_str());
    if (!values || values->empty())
        refuse(key + " is missing or empty; list at least one, e.g. " + key + " = [" + example +
               "]");
    for (const std::string& value : *values)
        if (value.empty())
            refuse(key + " holds an empty string");
    return *values;
}

AppRule read_rule(const sdk::ConfigView& config, const std::string& app) {
    AppRule rule;
    rule.app = app;
    rule.features = non_empty_list(config, app + ".features", "\"FEATURE\"");
    const std::string executables_key = app + ".executables";
    if (config.get_string_list(executables_key.c_str()))
        rule.executables = non_empty_list(config, executables_key, "\"" + app + "\"");
    else
        rule.executables = {app};
    for (const std::string& executable : rule.executables)
        if (executable.find('/') != std::string::npos)
            refuse(executables_key + " holds the path '" + executable +
                   "'; give the file's name only (\"" + std::string(file_name(executable)) + "\")");
    return rule;
}

} // namespace

std::vector<AppRule> read_app_rules(const sdk::ConfigView& config) {
    const std::vector<std::string> apps = non_empty_list(config, "apps", "\"xclock\"");
    std::vector<AppRule> rules;
    std::map<std::string, std::string> owner_of_executable;
    for (const std::string& app : apps) {
        if (!valid_app_name(app))
            refuse("apps holds '" + app +
                   "'; an app name is letters, digits, '_' and '-' (it "
                   "names the table [handlers.generic." +
                   app + "])");
        if (std::any_of(rules.begin(), rules.end(),
                        [&](const AppRule& rule) { return rule.app == app; }))
            refuse("apps names '" + app + "' twice");
        AppRule rule = read_rule(config, app);
        for (const std::string& executable : rule.executables) {
            const auto [known, added] = owner_of_executable.emplace(executable, app);
            if (!added)
                refuse("executable '" + executable + "' is claimed by both " + known->second +
                       " and " + app + "; a process can be one app only");
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

std::string_view file_name(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

const AppRule* find_app(const std::vector<AppRule>& rules, std::string_view executable,
                        std::string_view command_line) {
    const std::string_view by_exe = file_name(executable);
    const std::string_view by_argv0 = file_name(command_line.substr(0, command_line.find(' ')));
    for (const AppRule& rule : rules)
        for (const std::string& name : rule.executables)
            if (name == by_exe || name == by_argv0)
                return &rule;
    return nullptr;
}

} // namespace lmharvest::generic
