#include "host_fixture.hpp"

namespace lmharvest::testing {

HostFixture::HostFixture(const std::string& servers, const std::map<std::string, std::string>& env,
                         const std::string& host_keys)
    : port_(free_port()) {
    const std::string reads =
        host_keys.find("open_read") == std::string::npos ? "open_read = true\n" : "";
    config_ =
        dir_.write("lmharvest.toml", "[host]\nstate_dir = \"" + (dir_ / "state").string() +
                                         "\"\nplugin_dirs = [\"" + plugin_dir +
                                         "\"]\nlisten = \"127.0.0.1:" + std::to_string(port_) +
                                         "\"\n" + reads + host_keys + "\n" + servers);
    host_ = std::make_unique<RunningHost>(config_, env, dir_ / "host.log");
}

nlohmann::json HostFixture::sessions(const std::string& query) const {
    nlohmann::json sessions = get_json(port_, "/api/v1/sessions" + query);
    return sessions.is_array() ? sessions : nlohmann::json::array();
}

bool HostFixture::wait_for_sessions(std::size_t count) const {
    return eventually([&] { return sessions().size() == count; });
}

bool HostFixture::wait_for_next_poll(const std::string& id) const {
    // Poll times have whole seconds: two changes of last_poll_time mean a poll began after now.
    auto last_poll = [&] {
        const nlohmann::json entry = server(id);
        return entry.is_object() ? entry.value("last_poll_time", nlohmann::json()) : nullptr;
    };
    nlohmann::json seen = last_poll();
    for (int changes = 0; changes < 2; ++changes) {
        const bool changed = eventually([&] {
            const nlohmann::json now = last_poll();
            if (now == seen)
                return false;
            seen = now;
            return true;
        });
        if (!changed)
            return false;
    }
    return true;
}

nlohmann::json HostFixture::server(const std::string& id) const {
    const nlohmann::json servers = get_json(port_, "/api/v1/servers");
    if (servers.is_array())
        for (const nlohmann::json& server : servers)
            if (server.value("id", "") == id)
                return server;
    return nullptr;
}

} // namespace lmharvest::testing
