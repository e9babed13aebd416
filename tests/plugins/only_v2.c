/* What is wrong with this plugin: it was built for a future ABI 2 and exports only
 * lh_plugin_entry_v2, so a host speaking ABI 1 must say "needs ABI 2" rather than "no entry".
 * The entry is never called; its descriptor would be an ABI 2 one. */
#include <lmharvest/plugin.h>

LH_EXPORT const void* lh_plugin_entry_v2(const void* host) {
    (void)host;
    return NULL;
}
