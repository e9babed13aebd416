#include "agent/recent_projects.hpp"

#include "agent/state_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace lmharvest::agent {

RecentProjects::RecentProjects(const std::filesystem::path& state_dir)
    : file_(state_dir / "recent.jsonl") {}

std::vector<RecentProject> RecentProjects::list() const {
    std::vector<RecentProject> projects;
    std::ifstream in(file_);
    std::string line;
    while (std::getline(in, line)) {
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (!json.is_object() || !json.contains("path") || !json["path"].is_string())
            continue;
        projects.push_back({json.value("handler", ""), json.value("app", ""),
                            json["path"].get<std::string>(), json.value("saved_time", int64_t{0}),
                            json.value("why", "")});
    }
    std::reverse(projects.begin(), projects.end());
    return projects;
}

Expected<void> RecentProjects::add(const std::vector<RecentProject>& added) const {
    std::vector<RecentProject> projects = list(); // newest first
    projects.insert(projects.begin(), added.rbegin(), added.rend());
    if (projects.size() > max_recent_projects)
        projects.resize(max_recent_projects);
    std::string lines;
    for (auto p = projects.rbegin(); p != projects.rend(); ++p)
        lines += nlohmann::json{{"handler", p->handler},
                                {"app", p->app},
                                {"path", p->path},
                                {"saved_time", p->saved_time},
                                {"why", p->why}}
                     .dump() +
                 '\n';
    return replace_file(file_, lines);
}

} // namespace lmharvest::agent
