/* What is wrong with this plugin: one poll() writes 100 MB to the host's log. The worker sends
 * the host at most its per-call budget and one line saying the rest was dropped. */
#include <lmharvest/plugin.h>
#include <string.h>

static const lh_host_api* host_api;
static int instance_marker;

static lh_status create(const lh_instance_config* config, void** instance_out,
                        const char** error_out) {
    (void)config;
    (void)error_out;
    *instance_out = &instance_marker;
    return LH_OK;
}

static void destroy(void* instance) {
    (void)instance;
}

static lh_status flooding_poll(void* instance, const lh_poll_request* request,
                               const lh_poll_sink* sink) {
    (void)instance;
    (void)request;
    static char line[1025];
    memset(line, 'x', sizeof line - 1);
    for (int i = 0; i < 100 * 1024; ++i)
        host_api->log(host_api, LH_LOG_WARN, line);
    lh_server_status server = {sizeof server, "lic1", LH_STATE_UP, 1, "v1", ""};
    sink->server(sink->user_data, &server);
    return LH_OK;
}

static const char* last_error(void* instance) {
    (void)instance;
    return "";
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), create, destroy,
                                      flooding_poll,         NULL,   last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "floods_log_in_poll",
                                 "1.0",
                                 "a poll that logs 100 MB",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_EXPORT const lh_plugin* lh_plugin_entry_v1(const lh_host_api* host) {
    host_api = host;
    return &plugin;
}
