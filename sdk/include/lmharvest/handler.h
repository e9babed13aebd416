/* Save-and-close handler plugins (workstation agent side): find an application holding a
 * license, save the user's work, close it, and reopen it later. Declared in ABI 1.0 so that the
 * layout was fixed before the agent existed; ABI 1.1 appends what the agent needs (several
 * features per app, a deadline, "a job is running" from inside the app, a state folder).
 * A 1.0 handler (struct_size 56) still loads: the agent then uses create, match and
 * save_and_close with its own defaults. */
#ifndef LMHARVEST_HANDLER_H
#define LMHARVEST_HANDLER_H

#include "host_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A running process on the workstation. Borrowed for the call. */
typedef struct lh_process_info {
    uint32_t struct_size;
    int64_t pid;
    const char* executable; /* full path */
    const char* command_line;
    const char* user;
    const char* display;
} lh_process_info;

/* A project the handler saved before closing, so that the user can reopen it.
 * Borrowed: valid only during the sink call. */
typedef struct lh_saved_project {
    uint32_t struct_size;
    const char* application; /* "MATLAB R2024b" */
    const char* path;        /* the file or project the user can reopen */
    int64_t saved_time;      /* epoch seconds */
} lh_saved_project;

typedef struct lh_saved_project_sink {
    uint32_t struct_size;
    void* user_data;
    void (*saved)(void* user_data, const lh_saved_project* project);
} lh_saved_project_sink;

/* ---- Added in ABI 1.1 ---- */

/* What the agent tells a new handler instance (create_in). Owned by the agent; valid until
 * destroy() returns. */
typedef struct lh_handler_setup {
    uint32_t struct_size;
    const lh_config* config; /* the handler's table, [handlers.<name>] of agent.toml */
    const char* state_dir;   /* private to this handler and user (0700): mailboxes, caches */
    const char* saved_dir;   /* where projects that have no file of their own are saved */
} lh_handler_setup;

/* Receives one licensed feature name. `feature` is borrowed for the call. */
typedef struct lh_feature_sink {
    uint32_t struct_size;
    void* user_data;
    void (*feature)(void* user_data, const char* feature);
} lh_feature_sink;

/* One save-and-close order. Borrowed for the call. */
typedef struct lh_save_request {
    uint32_t struct_size;
    int64_t pid;
    /* Give up after this long: return LH_ERR_TIMEOUT and leave the application running. */
    uint32_t deadline_ms;
    const char* saved_dir; /* same as lh_handler_setup.saved_dir, repeated for convenience */
    const char* reason;    /* why the host asks ("idle 47 min, MATLAB 10 of 10 in use") */
} lh_save_request;

/* What a handler knows from inside the application. */
enum { LH_ACTIVITY_UNKNOWN = 0, LH_ACTIVITY_WAITING = 1, LH_ACTIVITY_BUSY = 2 };

typedef struct lh_app_activity {
    uint32_t struct_size; /* set by the agent */
    int32_t state;        /* LH_ACTIVITY_*: BUSY means a job is running, never idle */
} lh_app_activity;

typedef struct lh_handler_v1 {
    uint32_t struct_size;
    /* Same contract as lh_adapter_v1.create; `config` is the handler's table. [load-thread] */
    lh_status (*create)(const lh_config* config, void** instance_out, const char** error_out);
    void (*destroy)(void* instance); /* [load-thread] */
    /* LH_OK and the licensed feature (owned by the plugin, valid until destroy) when the
     * process is an application this handler knows; LH_ERR_NOT_FOUND otherwise. [agent-thread] */
    lh_status (*match)(void* instance, const lh_process_info* process, const char** feature_out);
    /* Saves the user's work in process `pid`, reports each saved project, then closes the
     * application. Returns only when it has exited or failed. [agent-thread] */
    lh_status (*save_and_close)(void* instance, int64_t pid, const lh_saved_project_sink* sink);
    /* Starts the application again on a saved project. May be NULL: the agent then offers no
     * one-click reopen for this handler's projects. [agent-thread] */
    lh_status (*reopen)(void* instance, const lh_saved_project* project);
    /* Same contract as lh_adapter_v1.last_error. [agent-thread] */
    const char* (*last_error)(void* instance);

    /* ---- Added in ABI 1.1: read only when LH_HAS_FIELD(lh_handler_v1, h, FIELD) ---- */

    /* Replaces create when non-NULL: the same contract, with the handler's folders.
     * [load-thread] */
    lh_status (*create_in)(const lh_handler_setup* setup, void** instance_out,
                           const char** error_out);
    /* Every licensed feature a matched process holds (an app with toolboxes holds several),
     * each through `sink`. May be NULL: the agent uses match's one feature. [agent-thread] */
    lh_status (*features)(void* instance, const lh_process_info* process,
                          const lh_feature_sink* sink);
    /* Replaces save_and_close when non-NULL: the same contract, with a deadline. On
     * LH_ERR_TIMEOUT or any error the application must still be running. [agent-thread] */
    lh_status (*save_and_close_by)(void* instance, const lh_save_request* request,
                                   const lh_saved_project_sink* sink);
    /* Whether a job runs inside the application. May be NULL (always UNKNOWN). Must answer
     * within a few milliseconds; it is asked at every report. [agent-thread] */
    lh_status (*activity)(void* instance, const lh_process_info* process, lh_app_activity* out);
} lh_handler_v1;

#ifdef __cplusplus
}
#endif

#endif
