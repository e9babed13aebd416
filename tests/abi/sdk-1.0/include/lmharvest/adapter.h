/* Adapter plugins: poll a license manager and close sessions on it. */
#ifndef LMHARVEST_ADAPTER_H
#define LMHARVEST_ADAPTER_H

#include "host_api.h"
#include "records.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the host tells a new adapter instance: one configured license server.
 * All pointers are owned by the host and valid until destroy() returns. */
typedef struct lh_instance_config {
    uint32_t struct_size;
    const char* server_id;   /* [[servers]] id, e.g. "eng-flex" */
    const char* address;     /* "27000@lic1,27000@lic2,27000@lic3", "6200@lmx1", a file path */
    uint32_t timeout_ms;     /* limit for one tool run */
    const char* state_dir;   /* a directory private to this instance, for offsets and caches */
    const lh_config* config; /* the instance's table, [servers.<adapter>] */
} lh_instance_config;

typedef struct lh_close_result {
    uint32_t struct_size;   /* set by the host */
    int64_t retry_after_ms; /* with LH_ERR_TOO_SOON: earliest useful retry, 0 if unknown */
} lh_close_result;

typedef struct lh_adapter_v1 {
    uint32_t struct_size;

    /* Creates an instance for one server. On failure returns an error and sets *error_out to a
     * message that stays valid until the next call into the plugin on this thread.
     * [load-thread] */
    lh_status (*create)(const lh_instance_config* config, void** instance_out,
                        const char** error_out);

    /* Destroys an instance; no call into it follows. [load-thread] */
    void (*destroy)(void* instance);

    /* Queries the server once and reports everything through `sink` before returning.
     * A server that is down is reported as a status (LH_STATE_DOWN), and poll still returns
     * LH_OK; errors are for when the adapter could not do its job at all (tool missing,
     * timeout). [poll-thread] */
    lh_status (*poll)(void* instance, const lh_poll_request* request, const lh_poll_sink* sink);

    /* Releases the checkout named by `close_token` (from lh_session.close_token).
     * LH_OK or LH_ERR_ALREADY_GONE mean the license is free. NULL when the plugin cannot close
     * sessions (capability LH_CAP_CLOSE_SESSION unset). [poll-thread] */
    lh_status (*close_session)(void* instance, const char* close_token, lh_close_result* result);

    /* The message for the last error returned on this instance. Owned by the plugin; valid
     * until the next call into the instance. Never NULL. [poll-thread] */
    const char* (*last_error)(void* instance);
} lh_adapter_v1;

#ifdef __cplusplus
}
#endif

#endif
