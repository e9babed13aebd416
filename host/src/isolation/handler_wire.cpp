#include "isolation/handler_wire.hpp"

namespace lmharvest::isolation {
namespace {

// Far more than any real list; a forged count must not make the reader allocate gigabytes.
constexpr uint32_t max_items = 1u << 16;

} // namespace

void encode(const std::string& plugin_file, const agent::HandlerSettings& s, int log_level,
            Writer& out) {
    out.text(plugin_file);
    out.i64(log_level);
    out.text(s.name), out.text(s.state_dir.string()), out.text(s.saved_dir.string());
    out.text(s.table.to_toml());
}

bool decode(Reader& in, HandlerCreateRequest& request) {
    agent::HandlerSettings& s = request.settings;
    request.plugin_file = in.text();
    request.log_level = static_cast<int>(in.i64());
    s.name = in.text(), s.state_dir = in.text(), s.saved_dir = in.text();
    s.table = PluginTable::from_toml(in.text());
    return in.ok();
}

void encode(const HandlerCreated& created, Writer& out) {
    out.text(created.error);
    encode(created.unread_keys, out);
    out.u8(created.can_save ? 1 : 0), out.u8(created.can_reopen ? 1 : 0);
}

bool decode(Reader& in, HandlerCreated& created) {
    created.error = in.text();
    const bool keys = decode(in, created.unread_keys);
    created.can_save = in.u8() != 0, created.can_reopen = in.u8() != 0;
    return keys && in.ok();
}

void encode(const agent::ProcessFacts& p, Writer& out) {
    out.i64(p.pid);
    out.text(p.executable), out.text(p.command_line), out.text(p.user), out.text(p.display);
}

bool decode(Reader& in, agent::ProcessFacts& p) {
    p.pid = in.i64();
    p.executable = in.text(), p.command_line = in.text(), p.user = in.text();
    p.display = in.text();
    return in.ok();
}

void encode(const SavedProject& project, Writer& out) {
    out.text(project.app), out.text(project.path), out.i64(project.saved_time);
}

bool decode(Reader& in, SavedProject& project) {
    project.app = in.text(), project.path = in.text(), project.saved_time = in.i64();
    return in.ok();
}

void encode(const std::vector<std::string>& texts, Writer& out) {
    out.u32(static_cast<uint32_t>(texts.size()));
    for (const std::string& text : texts)
        out.text(text);
}

bool decode(Reader& in, std::vector<std::string>& texts) {
    const uint32_t count = in.u32();
    if (count > max_items)
        return false;
    texts.clear();
    for (uint32_t i = 0; i < count && in.ok(); ++i)
        texts.push_back(in.text());
    return in.ok();
}

void encode(const Expected<std::vector<SavedProject>>& outcome, Writer& out) {
    out.u8(outcome ? 1 : 0);
    if (!outcome)
        return out.text(outcome.error());
    out.u32(static_cast<uint32_t>(outcome->size()));
    for (const SavedProject& project : *outcome)
        encode(project, out);
}

bool decode(Reader& in, Expected<std::vector<SavedProject>>& outcome) {
    if (in.u8() == 0) {
        outcome = unexpected(in.text());
        return in.ok();
    }
    const uint32_t count = in.u32();
    if (count > max_items)
        return false;
    std::vector<SavedProject> projects(count);
    for (SavedProject& project : projects)
        if (!decode(in, project))
            return false;
    outcome = std::move(projects);
    return in.ok();
}

} // namespace lmharvest::isolation
