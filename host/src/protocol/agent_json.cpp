#include "protocol/agent_json.hpp"

#include "protocol/field_reader.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace lmharvest {
namespace {

using protocol::FieldReader;
using protocol::item_path;
using protocol::Presence;
using protocol::TextRule;
using json = nlohmann::json;

constexpr int64_t ten_years_s = 10LL * 366 * 24 * 3600;
constexpr int64_t max_pid = std::numeric_limits<int32_t>::max();
constexpr std::size_t max_apps = 256, max_features = 64, max_projects = 64, max_commands = 1000,
                      max_session_ids = 1000;

const TextRule host_rule{1, 253, true};
const TextRule name_rule{1, 128, false}; // app, feature, handler names as agents spell them
const TextRule path_rule{1, 4096, false};
const TextRule note_rule{0, 4096, false}; // messages, reasons, pop-up texts

const std::vector<std::string_view> methods{"save_and_close", "suspend", "release", "notify"};
const std::vector<std::string_view> kinds{"save_and_close", "suspend", "resume", "notify"};
const std::vector<std::string_view> outcomes{"saved_and_closed", "suspended", "resumed", "notified",
                                             "failed",           "app_gone",  "refused"};

// The member `name` of the object at `path`.
struct Object {
    FieldReader& reader;
    const json& object;
    std::string path;

    const json* operator()(const char* name, Presence presence = Presence::required) const {
        return reader.member(object, path, name, presence);
    }
    std::string at(const char* name) const { return protocol::field_path(path, name); }
};

std::vector<std::string> names(FieldReader& reader, const json* value, const std::string& path,
                               std::size_t max_items) {
    std::vector<std::string> out;
    const json& items = *reader.array(value, path, max_items);
    for (std::size_t i = 0; i < items.size() && !reader.failed(); ++i)
        out.push_back(reader.text(&items[i], item_path(path, i), name_rule));
    return out;
}

std::vector<std::string> method_names(FieldReader& reader, const json* value,
                                      const std::string& path) {
    std::vector<std::string> out;
    const json& items = *reader.array(value, path, methods.size());
    for (std::size_t i = 0; i < items.size() && !reader.failed(); ++i)
        out.push_back(reader.one_of(&items[i], item_path(path, i), methods));
    return out;
}

ReportedApp read_app(FieldReader& reader, const json& value, const std::string& path) {
    ReportedApp app;
    if (!value.is_object()) {
        reader.fail(path, "must be an object");
        return app;
    }
    const Object field{reader, value, path};
    app.app = reader.text(field("app"), field.at("app"), name_rule);
    app.pid = reader.whole(field("pid"), field.at("pid"), 1, max_pid);
    app.executable = reader.text(field("executable", Presence::optional), field.at("executable"),
                                 {0, 4096, false});
    app.features = names(reader, field("features"), field.at("features"), max_features);
    app.focus_idle_s =
        reader.whole_or_null(field("focus_idle_s"), field.at("focus_idle_s"), 0, ten_years_s);
    app.cpu_percent = reader.number(field("cpu_percent"), field.at("cpu_percent"), 0, 6400);
    app.busy = reader.boolean(field("busy"), field.at("busy"));
    app.handler =
        reader.text(field("handler", Presence::optional), field.at("handler"), {0, 128, false});
    app.methods = method_names(reader, field("methods", Presence::optional), field.at("methods"));
    return app;
}

// Two entries for one process would make one of them vanish in the store.
void refuse_repeated_apps(FieldReader& reader, const std::vector<ReportedApp>& apps) {
    for (std::size_t i = 0; i < apps.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (apps[i].app == apps[j].app && apps[i].pid == apps[j].pid)
                return reader.fail(item_path("apps", i),
                                   "app " + apps[i].app + " pid " + std::to_string(apps[i].pid) +
                                       " is listed already as " + item_path("apps", j));
}

template <class T> Expected<T, FieldError> checked(const FieldReader& reader, T value) {
    if (reader.failed())
        return unexpected(reader.error());
    return value;
}

AgentCommand read_command(FieldReader& reader, const json& value, const std::string& path) {
    AgentCommand command;
    if (!value.is_object()) {
        reader.fail(path, "must be an object");
        return command;
    }
    const Object field{reader, value, path};
    command.id = reader.whole(field("id"), field.at("id"), 1, std::numeric_limits<int64_t>::max());
    command.kind = reader.one_of(field("kind"), field.at("kind"), kinds);
    command.app = reader.text(field("app"), field.at("app"), {0, 128, false});
    command.pid = reader.whole(field("pid"), field.at("pid"), 0, max_pid);
    command.features = names(reader, field("features"), field.at("features"), max_features);
    const json& ids = *reader.array(field("session_ids"), field.at("session_ids"), max_session_ids);
    for (std::size_t i = 0; i < ids.size() && !reader.failed(); ++i)
        command.session_ids.push_back(reader.whole(&ids[i], item_path(field.at("session_ids"), i),
                                                   1, std::numeric_limits<int64_t>::max()));
    command.reason = reader.text(field("reason"), field.at("reason"), note_rule);
    command.deadline_s = reader.whole(field("deadline_s"), field.at("deadline_s"), 1, 86400);
    command.text = reader.text(field("text"), field.at("text"), note_rule);
    return command;
}

std::string dump(const json& value) {
    // Text the host did not check (a reason naming a user) never throws: bad bytes become U+FFFD.
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

Expected<void, FieldError> check_agent_id(std::string_view id, const std::string& field) {
    const std::size_t colon = id.find(':');
    const auto name_only = [](std::string_view part, std::size_t max) {
        if (part.empty() || part.size() > max)
            return false;
        for (const char c : part)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
                return false;
        return true;
    };
    if (colon == std::string_view::npos || !name_only(id.substr(0, colon), 253) ||
        !name_only(id.substr(colon + 1), 64))
        return unexpected(FieldError{field, "must be <host>:<uid>, like \"ws-031.corp:1000\" "
                                            "(A-Z a-z 0-9 . _ - on each side)"});
    return {};
}

std::string_view agent_id_host(std::string_view id) {
    return id.substr(0, id.find(':'));
}

Expected<AgentReport, FieldError> parse_report(std::string_view body) {
    FieldReader reader;
    json storage;
    AgentReport report;
    const json* root = reader.parse_object(body, storage);
    if (!root)
        return unexpected(reader.error());
    const Object field{reader, *root, ""};
    report.agent = reader.text(field("agent"), "agent", {1, 318, false});
    if (!reader.failed())
        if (auto id = check_agent_id(report.agent, "agent"); !id)
            return unexpected(id.error());
    report.host = reader.text(field("host"), "host", host_rule);
    report.user = reader.text(field("user"), "user", {1, 256, false});
    report.display = reader.text(field("display", Presence::optional), "display", {0, 256, false});
    report.time = reader.time(field("time"), "time");
    report.input_idle_s = reader.whole_or_null(field("input_idle_s", Presence::optional),
                                               "input_idle_s", 0, ten_years_s);
    const json& apps = *reader.array(field("apps"), "apps", max_apps);
    for (std::size_t i = 0; i < apps.size() && !reader.failed(); ++i)
        report.apps.push_back(read_app(reader, apps[i], item_path("apps", i)));
    if (!reader.failed())
        refuse_repeated_apps(reader, report.apps);
    return checked(reader, std::move(report));
}

Expected<ReportAnswer, FieldError> parse_report_answer(std::string_view body) {
    FieldReader reader;
    json storage;
    const json* root = reader.parse_object(body, storage);
    if (!root)
        return unexpected(reader.error());
    ReportAnswer answer;
    answer.report_every_s =
        reader.whole(Object{reader, *root, ""}("report_every_s"), "report_every_s", 1, 86400);
    return checked(reader, answer);
}

Expected<CommandsAnswer, FieldError> parse_commands_answer(std::string_view body) {
    FieldReader reader;
    json storage;
    const json* root = reader.parse_object(body, storage);
    if (!root)
        return unexpected(reader.error());
    const Object field{reader, *root, ""};
    CommandsAnswer answer;
    const json& commands = *reader.array(field("commands"), "commands", max_commands);
    for (std::size_t i = 0; i < commands.size() && !reader.failed(); ++i)
        answer.commands.push_back(read_command(reader, commands[i], item_path("commands", i)));
    answer.next_poll_s = reader.whole(field("next_poll_s"), "next_poll_s", 0, 3600);
    return checked(reader, std::move(answer));
}

Expected<ResultMessage, FieldError> parse_result(std::string_view body) {
    FieldReader reader;
    json storage;
    const json* root = reader.parse_object(body, storage);
    if (!root)
        return unexpected(reader.error());
    const Object field{reader, *root, ""};
    ResultMessage result;
    const json* command = field("command", Presence::optional);
    const json* outcome = field("outcome", Presence::optional);
    const bool own_resume = !command && outcome && *outcome == "resumed";
    if (!command && !own_resume)
        reader.fail("command", "is missing (only the agent's own resumed goes without one)");
    else if (command)
        result.command = reader.whole(command, "command", 1, std::numeric_limits<int64_t>::max());
    result.outcome = reader.one_of(outcome, "outcome", outcomes);
    if (own_resume) {
        // The agent's own resume (the user clicked Resume): what it resumed.
        result.pid = reader.whole(field("pid"), "pid", 1, max_pid);
        result.app = reader.text(field("app"), "app", name_rule);
        result.features =
            names(reader, field("features", Presence::optional), "features", max_features);
        result.follows = reader
                             .whole_or_null(field("follows", Presence::optional), "follows", 1,
                                            std::numeric_limits<int64_t>::max())
                             .value_or(0);
    }
    const json& projects =
        *reader.array(field("projects", Presence::optional), "projects", max_projects);
    for (std::size_t i = 0; i < projects.size() && !reader.failed(); ++i) {
        const std::string path = item_path("projects", i);
        if (!projects[i].is_object()) {
            reader.fail(path, "must be an object");
            break;
        }
        const Object project{reader, projects[i], path};
        SavedProject saved;
        saved.app = reader.text(project("app"), project.at("app"), {1, 256, false});
        saved.path = reader.text(project("path"), project.at("path"), path_rule);
        saved.saved_time = reader.time(project("saved_time"), project.at("saved_time"));
        result.projects.push_back(std::move(saved));
    }
    result.message = reader.text(field("message", Presence::optional), "message", note_rule);
    return checked(reader, std::move(result));
}

namespace {

std::string utc_time(int64_t epoch_seconds) {
    const std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

json nullable(const std::optional<int64_t>& value) {
    return value ? json(*value) : json(nullptr);
}

} // namespace

std::string to_json(const AgentReport& report) {
    json apps = json::array();
    for (const ReportedApp& a : report.apps)
        apps.push_back({{"app", a.app},
                        {"pid", a.pid},
                        {"executable", a.executable},
                        {"features", a.features},
                        {"focus_idle_s", nullable(a.focus_idle_s)},
                        {"cpu_percent", a.cpu_percent},
                        {"busy", a.busy},
                        {"handler", a.handler},
                        {"methods", a.methods}});
    return dump({{"agent", report.agent},
                 {"host", report.host},
                 {"user", report.user},
                 {"display", report.display},
                 {"time", utc_time(report.time)},
                 {"input_idle_s", nullable(report.input_idle_s)},
                 {"apps", apps}});
}

std::string to_json(const ReportAnswer& answer) {
    return dump({{"report_every_s", answer.report_every_s}});
}

std::string to_json(const CommandsAnswer& answer) {
    json commands = json::array();
    for (const AgentCommand& c : answer.commands)
        commands.push_back({{"id", c.id},
                            {"kind", c.kind},
                            {"app", c.app},
                            {"pid", c.pid},
                            {"features", c.features},
                            {"session_ids", c.session_ids},
                            {"reason", c.reason},
                            {"deadline_s", c.deadline_s},
                            {"text", c.text}});
    return dump({{"commands", commands}, {"next_poll_s", answer.next_poll_s}});
}

std::string to_json(const ResultMessage& result) {
    json projects = json::array();
    for (const SavedProject& p : result.projects)
        projects.push_back(
            {{"app", p.app}, {"path", p.path}, {"saved_time", utc_time(p.saved_time)}});
    json out = {{"outcome", result.outcome}, {"projects", projects}, {"message", result.message}};
    if (result.command != 0) {
        out["command"] = result.command;
    } else {
        out["pid"] = result.pid;
        out["app"] = result.app;
        out["features"] = result.features;
        out["follows"] = result.follows != 0 ? json(result.follows) : json(nullptr);
    }
    return dump(out);
}

std::string to_json(const LicensesAnswer& answer) {
    json features = json::array();
    for (const FeatureAvailability& f : answer.features) {
        json& feature = features.emplace_back(json::object());
        feature["feature"] = f.feature;
        feature["free"] = f.free;
        feature["used"] = f.used;
        feature["total"] = f.total;
        feature["unlimited"] = f.unlimited;
        feature["pools"] = f.pools;
        feature["stale_pools"] = f.stale_pools;
    }
    return dump({{"features", features}});
}

Expected<LicensesAnswer, FieldError> parse_licenses_answer(std::string_view body) {
    FieldReader reader;
    json storage;
    const json* root = reader.parse_object(body, storage);
    if (!root)
        return unexpected(reader.error());
    LicensesAnswer answer;
    const json& features =
        *reader.array(Object{reader, *root, ""}("features"), "features", max_features);
    constexpr int64_t most = std::numeric_limits<int64_t>::max();
    for (std::size_t i = 0; i < features.size() && !reader.failed(); ++i) {
        const std::string path = item_path("features", i);
        if (!features[i].is_object()) {
            reader.fail(path, "must be an object");
            break;
        }
        const Object field{reader, features[i], path};
        FeatureAvailability f;
        f.feature = reader.text(field("feature"), field.at("feature"), name_rule);
        f.free = reader.whole(field("free"), field.at("free"), 0, most);
        f.used = reader.whole(field("used"), field.at("used"), 0, most);
        f.total = reader.whole(field("total"), field.at("total"), 0, most);
        f.unlimited = reader.boolean(field("unlimited"), field.at("unlimited"));
        f.pools = reader.whole(field("pools"), field.at("pools"), 0, most);
        // Hosts before it did not send it.
        if (const json* stale = field("stale_pools", Presence::optional))
            f.stale_pools = reader.whole(stale, field.at("stale_pools"), 0, f.pools);
        answer.features.push_back(std::move(f));
    }
    return checked(reader, std::move(answer));
}

} // namespace lmharvest
