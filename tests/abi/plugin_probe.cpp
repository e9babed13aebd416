// plugin_probe FILE.so: loads one plugin the way the host does, prints what inspect() says,
// then creates an instance (empty config) and polls it once (an adapter) or asks it about two
// processes (a handler: one named hello-app, one not), printing what came back.
// Exit 0 only when all of that worked. Used by scripts/test-out-of-tree on a plugin built
// outside this tree.
#include "handler_calls.hpp"
#include "plugins/abi_names.hpp"
#include "plugins/adapter_instance.hpp"
#include "plugins/plugin_registry.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>

using namespace lmharvest;

namespace {

int probe_handler(std::shared_ptr<const LoadedPlugin> plugin) {
    test::HandlerCalls calls(std::move(plugin), PluginTable());
    std::string error;
    if (calls.create(&error) != LH_OK) {
        std::fprintf(stderr, "create: %s\n", error.c_str());
        return 1;
    }
    lh_status other = LH_OK;
    const std::string feature = calls.match({4242, "/usr/bin/hello-app", "hello-app"});
    calls.match({4243, "/usr/bin/xterm", "xterm"}, &other);
    std::printf("match hello-app=%s xterm=%s\n", feature.c_str(), status_name(other).c_str());
    return feature.empty() ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: plugin_probe FILE.so\n");
        return 2;
    }
    const std::filesystem::path file = std::filesystem::absolute(argv[1]);
    PluginRegistry registry;
    const auto info = registry.inspect(file);
    if (!info) {
        std::fprintf(stderr, "%s\n", info.error().c_str());
        return 1;
    }
    std::printf("name=%s version=%s abi=%u.%u kinds=%s capabilities=%s\n", info->name.c_str(),
                info->version.c_str(), info->abi_major, info->abi_minor,
                kind_names(info->kinds).c_str(), capability_names(info->capabilities).c_str());

    const auto plugin = load_plugin(file, run_process); // the one inspect() loaded
    if (!plugin)
        return 1;
    if (info->kinds & LH_KIND_HANDLER)
        return probe_handler(*plugin);
    InstanceSettings settings;
    settings.server_id = "probe";
    settings.adapter = info->name;
    settings.address = "27000@localhost";
    settings.state_dir = std::filesystem::temp_directory_path() / "lmharvest-plugin-probe";
    auto instance = AdapterInstance::create(*plugin, std::move(settings));
    if (!instance) {
        std::fprintf(stderr, "%s\n", instance.error().c_str());
        return 1;
    }
    const PollSnapshot snapshot = (*instance)->poll(std::time(nullptr));
    std::printf("poll ok=%d servers=%zu features=%zu sessions=%zu%s%s\n", snapshot.ok ? 1 : 0,
                snapshot.servers.size(), snapshot.features.size(), snapshot.sessions.size(),
                snapshot.ok ? "" : " error=", snapshot.error.c_str());
    return snapshot.ok ? 0 : 1;
}
