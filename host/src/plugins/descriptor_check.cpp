#include "plugins/descriptor_check.hpp"

#include <optional>
#include <string>
#include <utility>

namespace lmharvest {
namespace {

constexpr const char* rebuild = "rebuild it against lmharvest-sdk 1.x";

std::string size_problem(const char* what, uint32_t actual, uint32_t needed) {
    return std::string(what) + ".struct_size is " + std::to_string(actual) + ", at least " +
           std::to_string(needed) + " needed (ABI 1.0); " + rebuild;
}

std::string missing_function(const char* capability, const std::string& pointer) {
    return std::string("capability ") + capability + " set but " + pointer +
           " is NULL; implement it or clear the capability bit";
}

std::string must_implement(const char* field, const std::string& function) {
    return std::string(field) + "->" + function +
           " is NULL; every plugin of this kind must implement it";
}

// What adapter and handler tables share: present, long enough, and the functions every
// plugin of the kind must have (create is the kind's own rule). `field` is the lh_plugin field
// and the name in messages.
template <class Table>
std::optional<std::string> check_table(const Table* table, const char* kind, const char* field,
                                       const char* type, uint32_t needed) {
    if (!table)
        return std::string("kind ") + kind + " set but lh_plugin." + field +
               " is NULL; point it at the plugin's " + type;
    if (table->struct_size < needed)
        return size_problem(type, table->struct_size, needed);
    const std::pair<bool, const char*> required[] = {{table->destroy != nullptr, "destroy"},
                                                     {table->last_error != nullptr, "last_error"}};
    for (const auto& [present, function] : required) {
        if (!present)
            return must_implement(field, function);
    }
    return std::nullopt;
}

std::optional<std::string> check_adapter(const lh_plugin& plugin) {
    const lh_adapter_v1* adapter = plugin.adapter;
    if (auto problem =
            check_table(adapter, "ADAPTER", "adapter", "lh_adapter_v1", size_v1_0<lh_adapter_v1>))
        return problem;
    if (!adapter->create)
        return must_implement("adapter", "create");
    if ((plugin.capabilities & LH_CAP_POLL) && !adapter->poll)
        return missing_function("POLL", "adapter->poll");
    if ((plugin.capabilities & LH_CAP_CLOSE_SESSION) && !adapter->close_session)
        return missing_function("CLOSE_SESSION", "adapter->close_session");
    return std::nullopt;
}

std::optional<std::string> check_handler(const lh_plugin& plugin) {
    const lh_handler_v1* handler = plugin.handler;
    if (auto problem =
            check_table(handler, "HANDLER", "handler", "lh_handler_v1", size_v1_0<lh_handler_v1>))
        return problem;
    // Fields appended in 1.1 are read only when the table holds them.
    const bool has_create_in = LH_HAS_FIELD(lh_handler_v1, handler, create_in);
    if (!handler->create && !(has_create_in && handler->create_in))
        return has_create_in ? std::string("handler->create and handler->create_in are NULL; "
                                           "every plugin of this kind must implement one")
                             : must_implement("handler", "create");
    // The agent asks every handler about every process: a handler without match knows nothing.
    if (!handler->match)
        return must_implement("handler", "match");
    if (!(plugin.capabilities & LH_CAP_SAVE_AND_CLOSE) || handler->save_and_close)
        return std::nullopt;
    if (!LH_HAS_FIELD(lh_handler_v1, handler, save_and_close_by))
        return missing_function("SAVE_AND_CLOSE", "handler->save_and_close");
    if (!handler->save_and_close_by)
        return std::string("capability SAVE_AND_CLOSE set but handler->save_and_close and "
                           "handler->save_and_close_by are NULL; implement one or clear the "
                           "capability bit");
    return std::nullopt;
}

// Capabilities that only make sense for one kind.
std::optional<std::string> check_capability_kinds(const lh_plugin& plugin) {
    constexpr uint64_t adapter_caps = LH_CAP_POLL | LH_CAP_CLOSE_SESSION | LH_CAP_DENIALS;
    if ((plugin.capabilities & adapter_caps) && !(plugin.kinds & LH_KIND_ADAPTER))
        return std::string("adapter capabilities set but kind ADAPTER is not; set "
                           "LH_KIND_ADAPTER or clear them");
    if ((plugin.capabilities & LH_CAP_SAVE_AND_CLOSE) && !(plugin.kinds & LH_KIND_HANDLER))
        return std::string("capability SAVE_AND_CLOSE set but kind HANDLER is not; set "
                           "LH_KIND_HANDLER or clear it");
    return std::nullopt;
}

std::optional<std::string> find_problem(const lh_plugin& plugin) {
    if (plugin.struct_size < size_v1_0<lh_plugin>)
        return size_problem("lh_plugin", plugin.struct_size, size_v1_0<lh_plugin>);
    if (plugin.abi_major != LH_ABI_MAJOR)
        return "wrong ABI major: got " + std::to_string(plugin.abi_major) + ", supported " +
               std::to_string(LH_ABI_MAJOR) + "; " + rebuild;
    if (!plugin.name || !*plugin.name)
        return std::string("plugin name is empty; give the plugin the name that [[servers]] "
                           "adapter = will use");
    constexpr uint32_t known_kinds = LH_KIND_ADAPTER | LH_KIND_HANDLER;
    if (!(plugin.kinds & known_kinds))
        return "kinds is " + std::to_string(plugin.kinds) +
               ", none of which this host knows (1 adapter, 2 handler); set LH_KIND_ADAPTER "
               "or LH_KIND_HANDLER";
    if (auto problem = check_capability_kinds(plugin))
        return problem;
    if (plugin.kinds & LH_KIND_ADAPTER)
        if (auto problem = check_adapter(plugin))
            return problem;
    if (plugin.kinds & LH_KIND_HANDLER)
        if (auto problem = check_handler(plugin))
            return problem;
    return std::nullopt;
}

} // namespace

Expected<PluginInfo> check_descriptor(const lh_plugin& descriptor,
                                      const std::filesystem::path& file) {
    if (auto problem = find_problem(descriptor))
        return unexpected(file.string() + ": " + *problem);
    PluginInfo info;
    info.name = descriptor.name;
    info.version = descriptor.version ? descriptor.version : "";
    info.description = descriptor.description ? descriptor.description : "";
    info.abi_major = descriptor.abi_major;
    info.abi_minor = descriptor.abi_minor;
    info.kinds = descriptor.kinds;
    info.capabilities = descriptor.capabilities;
    info.path = file;
    return info;
}

} // namespace lmharvest
