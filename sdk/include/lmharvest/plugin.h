/* The plugin descriptor and its one entry point. Include this header; it includes the rest.
 *
 * A plugin exports exactly one symbol:
 *
 *     LH_EXTERN_C LH_EXPORT const lh_plugin* lh_plugin_entry_v1(const lh_host_api* host);
 *
 * The host calls it once per load of the library (a second load of the same file returns the
 * first descriptor without calling it again), right after loading, on the [load-thread]. `host` is
 * owned by the host and valid until the library is unloaded, which happens only after every
 * instance is destroyed. The returned descriptor is owned by the plugin and must stay valid
 * (usually a static) for as long as the library is loaded. Returning NULL refuses the load.
 */
#ifndef LMHARVEST_PLUGIN_H
#define LMHARVEST_PLUGIN_H

#include "adapter.h"
#include "handler.h"
#include "host_api.h"
#include "records.h"
#include "status.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a plugin is. A plugin may be both. */
enum { LH_KIND_ADAPTER = 1u << 0, LH_KIND_HANDLER = 1u << 1 };

/* What a plugin can do. An unset bit means "not supported", not an error.
 * A bit that names functions (POLL, CLOSE_SESSION, SAVE_AND_CLOSE) promises that they are
 * non-NULL; the host refuses a plugin whose bit is set but whose pointer is NULL. DENIALS names
 * no function: it promises that poll() reports lh_denial records (the host may show "no denial
 * data" for a server whose adapter lacks it, rather than "no denials").
 * C99 enum constants are int: bits above 30 will be #defines with a ULL suffix. */
enum {
    LH_CAP_POLL = 1u << 0,          /* adapter->poll */
    LH_CAP_CLOSE_SESSION = 1u << 1, /* adapter->close_session */
    LH_CAP_DENIALS = 1u << 2,       /* poll reports lh_denial records; no pointer */
    LH_CAP_SAVE_AND_CLOSE = 1u << 3 /* handler->save_and_close, or (1.1) save_and_close_by */
};

typedef struct lh_plugin {
    uint32_t struct_size;
    uint32_t abi_major; /* must equal the host's LH_ABI_MAJOR */
    uint32_t abi_minor; /* the minor version the plugin was built against */
    const char* name;   /* unique among loaded plugins; what [[servers]] adapter = names */
    const char* version;
    const char* description;
    uint32_t kinds;               /* LH_KIND_* */
    uint64_t capabilities;        /* LH_CAP_* */
    const lh_adapter_v1* adapter; /* non-NULL when kinds has LH_KIND_ADAPTER */
    const lh_handler_v1* handler; /* non-NULL when kinds has LH_KIND_HANDLER */
} lh_plugin;

typedef const lh_plugin* (*lh_plugin_entry_fn)(const lh_host_api* host);

#ifdef __cplusplus
}
#endif

#endif
