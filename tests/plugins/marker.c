/* What is wrong with this plugin: nothing but what it does when opened. Its constructor and
 * its entry point each append a line to the file named by $LH_TEST_MARKER, so that a test can
 * tell whether the host opened it at all (it must not when the config does not enable it), and
 * the pid of the process's parent to $LH_TEST_MARKER_PARENTS, so that it can tell in which
 * process (the host, or a worker the host started) the plugin's code ran. */
#include "stub_adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void mark(const char* what) {
    const char* path = getenv("LH_TEST_MARKER");
    FILE* file = path ? fopen(path, "a") : NULL;
    if (!file)
        return;
    fprintf(file, "%s\n", what);
    fclose(file);
    const char* parents_path = getenv("LH_TEST_MARKER_PARENTS");
    FILE* parents = parents_path ? fopen(parents_path, "a") : NULL;
    if (!parents)
        return;
    fprintf(parents, "%ld\n", (long)getppid());
    fclose(parents);
}

__attribute__((constructor)) static void on_open(void) {
    mark("constructor");
}

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), stub_create, stub_destroy, stub_poll, NULL, stub_last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin),          LH_ABI_MAJOR,    LH_ABI_MINOR, "marker", "1.0",
    "notes that it was opened", LH_KIND_ADAPTER, LH_CAP_POLL,  &adapter, NULL};

LH_EXPORT const lh_plugin* lh_plugin_entry_v1(const lh_host_api* host) {
    (void)host;
    mark("entry");
    return &plugin;
}
