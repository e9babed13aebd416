/* What is wrong with this plugin: it loads fine, but its create() always fails with
 * LH_ERR_INVALID_ARGUMENT and a message; the host must refuse the server's configuration with
 * that message and keep running. */
#include "stub_adapter.h"

static lh_status create(const lh_instance_config* config, void** instance_out,
                        const char** error_out) {
    (void)config;
    (void)instance_out;
    *error_out = "address must look like port@host";
    return LH_ERR_INVALID_ARGUMENT;
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), create, stub_destroy, stub_poll, NULL,
                                      stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "create_fails",
                                 "1.0",
                                 "refuses every configuration",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
