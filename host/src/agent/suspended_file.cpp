#include "agent/suspended_file.hpp"

#include "agent/desktop/process_table.hpp"
#include "agent/state_file.hpp"
#include "process/proc_stat.hpp"

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lmharvest::agent {
namespace {

using json = nlohmann::json;

const char* state_name(ResumeState state) {
    switch (state) {
    case ResumeState::suspended:
        return "suspended";
    case ResumeState::waiting:
        return "waiting";
    case ResumeState::offered:
        return "offered";
    }
    return "suspended";
}

std::optional<ResumeState> state_of(const std::string& name) {
    for (const ResumeState s : {ResumeState::suspended, ResumeState::waiting, ResumeState::offered})
        if (name == state_name(s))
            return s;
    return std::nullopt;
}

// The entry at `path` ("apps[2]"), or the name of its first bad field.
Expected<std::pair<SuspendedApp, ResumeState>, std::string> read_entry(const json& entry,
                                                                       const std::string& path) {
    const auto bad = [&](const std::string& field, const std::string& what) {
        return unexpected(path + "." + field + " " + what);
    };
    if (!entry.is_object())
        return unexpected(path + " must be an object");
    SuspendedApp app;
    const auto whole = [&](const char* field, auto& out) {
        const auto found = entry.find(field);
        if (found == entry.end() || !found->is_number_unsigned())
            return false;
        const uint64_t value = found->template get<uint64_t>();
        if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return false;
        out = static_cast<std::remove_reference_t<decltype(out)>>(value);
        return true;
    };
    if (!whole("pid", app.pid) || app.pid < 1)
        return bad("pid", "must be a whole number above 0");
    if (!whole("start_ticks", app.start_ticks))
        return bad("start_ticks", "must be a whole number");
    if (!whole("command", app.command))
        return bad("command", "must be a whole number");
    if (!entry.contains("app") || !entry["app"].is_string())
        return bad("app", "must be a string");
    app.app = entry["app"].get<std::string>();
    if (!entry.contains("features") || !entry["features"].is_array())
        return bad("features", "must be an array of strings");
    for (const json& feature : entry["features"]) {
        if (!feature.is_string())
            return bad("features", "must be an array of strings");
        app.features.push_back(feature.get<std::string>());
    }
    const auto state = entry.contains("state") && entry["state"].is_string()
                           ? state_of(entry["state"].get<std::string>())
                           : std::nullopt;
    if (!state)
        return bad("state", "must be suspended, waiting or offered");
    return std::pair{std::move(app), *state};
}

} // namespace

SuspendedFile::SuspendedFile(const std::filesystem::path& state_dir)
    : file_(state_dir / "suspended.json") {}

Expected<void> SuspendedFile::save(const KeptSuspensions& apps) const {
    json list = json::array();
    for (const auto& [app, state] : apps)
        list.push_back({{"pid", app.pid},
                        {"start_ticks", app.start_ticks},
                        {"app", app.app},
                        {"features", app.features},
                        {"command", app.command},
                        {"state", state_name(state)}});
    return replace_file(file_, json{{"apps", list}}.dump(2) + "\n");
}

Expected<KeptSuspensions> SuspendedFile::load() const {
    std::ifstream in(file_, std::ios::binary);
    if (!in)
        return KeptSuspensions{};
    std::stringstream text;
    text << in.rdbuf();
    const json root = json::parse(text.str(), nullptr, false);
    if (root.is_discarded() || !root.is_object() || !root.contains("apps") ||
        !root["apps"].is_array())
        return unexpected(file_.string() + ": not an object with an array \"apps\"");
    KeptSuspensions apps;
    for (std::size_t i = 0; i < root["apps"].size(); ++i) {
        auto entry = read_entry(root["apps"][i], "apps[" + std::to_string(i) + "]");
        if (!entry)
            return unexpected(file_.string() + ": " + entry.error());
        apps.push_back(std::move(*entry));
    }
    return apps;
}

std::optional<uint64_t> process_start_ticks(int64_t pid) {
    const auto text = read_proc_file("/proc/" + std::to_string(pid) + "/stat", 4096);
    if (!text)
        return std::nullopt;
    const auto stat = parse_proc_stat(*text);
    if (!stat || stat->start_ticks == 0)
        return std::nullopt;
    return stat->start_ticks;
}

bool same_process_runs(const SuspendedApp& app) {
    const std::optional<uint64_t> start = process_start_ticks(app.pid);
    return start && (app.start_ticks == 0 || *start == app.start_ticks);
}

} // namespace lmharvest::agent
