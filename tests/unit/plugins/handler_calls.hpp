// Calls into a loaded plugin's handler table the way the agent does, for the loader's tests and
// tests/abi's plugin_probe: create (create_in when the table has it), match, features, save,
// destroy.
#pragma once

#include "config/plugin_table.hpp"
#include "plugins/loaded_plugin.hpp"

#include <memory>
#include <string>
#include <vector>

namespace lmharvest::test {

/// A process as the agent describes it; the strings back the lh_process_info.
struct TestProcess {
    int64_t pid = 0;
    std::string executable;
    std::string command_line;

    /// Borrows this object's strings, so a temporary's is refused at compile time.
    lh_process_info info() const&& = delete;
    lh_process_info info() const& {
        lh_process_info process{};
        process.struct_size = sizeof process;
        process.pid = pid;
        process.executable = executable.c_str();
        process.command_line = command_line.c_str();
        process.user = "tester";
        process.display = ":0";
        return process;
    }
};

/// One handler instance of `plugin`, destroyed with this object.
class HandlerCalls {
public:
    HandlerCalls(std::shared_ptr<const LoadedPlugin> plugin, PluginTable table,
                 std::string state_dir = "/state", std::string saved_dir = "/saved")
        : plugin_(std::move(plugin)), table_(std::move(table)), state_dir_(std::move(state_dir)),
          saved_dir_(std::move(saved_dir)) {}
    ~HandlerCalls() {
        if (instance_)
            handler().destroy(instance_);
    }
    HandlerCalls(const HandlerCalls&) = delete;
    HandlerCalls& operator=(const HandlerCalls&) = delete;

    const lh_handler_v1& handler() const { return *plugin_->descriptor->handler; }
    bool is_v1_1() const { return LH_HAS_FIELD(lh_handler_v1, &handler(), activity); }

    /// create_in when the table has it, else create; the error text on failure.
    lh_status create(std::string* error = nullptr) {
        const auto* config = reinterpret_cast<const lh_config*>(&table_);
        const char* message = nullptr;
        lh_status status;
        if (is_v1_1() && handler().create_in) {
            lh_handler_setup setup{};
            setup.struct_size = sizeof setup;
            setup.config = config;
            setup.state_dir = state_dir_.c_str();
            setup.saved_dir = saved_dir_.c_str();
            status = handler().create_in(&setup, &instance_, &message);
        } else {
            status = handler().create(config, &instance_, &message);
        }
        if (error)
            *error = message ? message : "";
        if (status != LH_OK)
            instance_ = nullptr;
        return status;
    }

    /// match's feature, "" when the process is not this handler's.
    std::string match(const TestProcess& process, lh_status* status_out = nullptr) {
        const lh_process_info info = process.info();
        const char* feature = nullptr;
        const lh_status status = handler().match(instance_, &info, &feature);
        if (status_out)
            *status_out = status;
        return status == LH_OK && feature ? feature : "";
    }
    /// The raw pointer match hands out, to check how long it stays valid; nullptr on failure.
    const char* match_pointer(const TestProcess& process) {
        const lh_process_info info = process.info();
        const char* feature = nullptr;
        return handler().match(instance_, &info, &feature) == LH_OK ? feature : nullptr;
    }

    lh_status features(const TestProcess& process, std::vector<std::string>& out) {
        const lh_process_info info = process.info();
        lh_feature_sink sink{};
        sink.struct_size = sizeof sink;
        sink.user_data = &out;
        sink.feature = [](void* user_data, const char* feature) {
            static_cast<std::vector<std::string>*>(user_data)->emplace_back(feature);
        };
        return handler().features(instance_, &info, &sink);
    }

    struct Saved {
        lh_status status = LH_OK;
        std::vector<std::string> applications;
        std::vector<std::string> paths;
    };
    /// save_and_close_by with a request when `request` is given, else the 1.0 save_and_close.
    Saved save(int64_t pid, const lh_save_request* request = nullptr) {
        Saved saved;
        lh_saved_project_sink sink{};
        sink.struct_size = sizeof sink;
        sink.user_data = &saved;
        sink.saved = [](void* user_data, const lh_saved_project* project) {
            auto* into = static_cast<Saved*>(user_data);
            into->applications.emplace_back(project->application);
            into->paths.emplace_back(project->path);
        };
        saved.status = request ? handler().save_and_close_by(instance_, request, &sink)
                               : handler().save_and_close(instance_, pid, &sink);
        return saved;
    }

    std::string last_error() const { return handler().last_error(instance_); }
    void* instance() const { return instance_; }

private:
    std::shared_ptr<const LoadedPlugin> plugin_;
    PluginTable table_;
    std::string state_dir_;
    std::string saved_dir_;
    void* instance_ = nullptr;
};

} // namespace lmharvest::test
