/* What is wrong with this plugin: its constructor dies of SIGSEGV, so whatever
 * process opens the file dies at dlopen(), before any entry point. Opened in a worker, it must
 * cost a refusal with the reason, never the process that asked. */
#include "stub_adapter.h"

#include <signal.h>

__attribute__((constructor)) static void on_open(void) {
    raise(SIGSEGV); /* as a bad pointer would, without undefined behaviour to optimize away */
}

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), stub_create, stub_destroy, stub_poll, NULL, stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "crashes_when_loaded",
                                 "1.0",
                                 "dies when opened",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
