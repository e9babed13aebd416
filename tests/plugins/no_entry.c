/* What is wrong with this plugin: it exports `lh_plugin_entry` (no version suffix) instead of
 * lh_plugin_entry_v1, as a plugin written from memory might; the host finds no entry symbol. */
#include "stub_adapter.h"

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), stub_create, stub_destroy, stub_poll, NULL, stub_last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin),          LH_ABI_MAJOR,    LH_ABI_MINOR, "no_entry", "1.0",
    "exports the wrong symbol", LH_KIND_ADAPTER, LH_CAP_POLL,  &adapter,   NULL};

LH_EXPORT const lh_plugin* lh_plugin_entry(const lh_host_api* host) {
    (void)host;
    return &plugin;
}
