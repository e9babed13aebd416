/* What is wrong with this plugin: it needs liblh_test_vanishing_dependency.so, which the
 * dynamic loader cannot find (no rpath, not in a system folder), so dlopen() fails and the
 * host must show the loader's own text naming the missing library. Otherwise it is fine. */
#include "stub_adapter.h"

int vanishing_dependency_answer(void);

static lh_status create(const lh_instance_config* config, void** instance_out,
                        const char** error_out) {
    (void)vanishing_dependency_answer();
    return stub_create(config, instance_out, error_out);
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), create, stub_destroy, stub_poll, NULL,
                                      stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "missing_dependency",
                                 "1.0",
                                 "needs a library that is absent",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
