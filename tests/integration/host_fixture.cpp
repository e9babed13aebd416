#include "host_fixture.hpp"

namespace lmharvest::testing {

HostFixture::HostFixture(const std::string& servers, const std::map<std::string, std::string>& env)
    : port_(free_port()) {
    config_ = dir_.write(
        "lmharvest.toml",
        "[host]\nstate_dir = \"" + (dir_ / "state").string() + "\"\nplugin_dirs = [\"" +
            plugin_dir + "\"]\nlisten = \"127.0.0.1:" + std::to_string(port_) + "\"\n\n" + servers);
    host_ = std::make_unique<RunningHost>(config_, env, dir_ / "host.log");
}

nlohmann::json HostFixture::sessions(const std::string& query) const {
    nlohmann::json sessions = get_json(port_, "/api/v1/sessions" + query);
    return sessions.is_array() ? sessions : nlohmann::json::array();
}

bool HostFixture::wait_for_sessions(std::size_t count) const {
    return eventually([&] { return sessions().size() == count; });
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
