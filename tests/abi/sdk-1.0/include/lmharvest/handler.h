/* Save-and-close handler plugins (workstation agent side): find an application holding a
 * license, save the user's work, close it, and reopen it later. Declared in ABI 1.0 so that the
 * layout is fixed; the agent that calls it comes in a later release. */
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

typedef struct lh_handler_v1 {
    uint32_t struct_size;
    /* Same contract as lh_adapter_v1.create; `config` is the handler's table. [load-thread] */
    lh_status (*create)(const lh_config* config, void** instance_out, const char** error_out);
    void (*destroy)(void* instance); /* [load-thread] */
    /* LH_OK and the licensed feature (owned by the plugin, valid until destroy) when the
     * process is an application this handler knows; LH_ERR_NOT_FOUND otherwise. [poll-thread] */
    lh_status (*match)(void* instance, const lh_process_info* process, const char** feature_out);
    /* Saves the user's work in process `pid`, reports each saved project, then closes the
     * application. Returns only when it has exited or failed. [poll-thread] */
    lh_status (*save_and_close)(void* instance, int64_t pid, const lh_saved_project_sink* sink);
    /* Starts the application again on a saved project. May be NULL: the agent then offers no
     * one-click reopen for this handler's projects. [poll-thread] */
    lh_status (*reopen)(void* instance, const lh_saved_project* project);
    /* Same contract as lh_adapter_v1.last_error. */
    const char* (*last_error)(void* instance);
} lh_handler_v1;

#ifdef __cplusplus
}
#endif

#endif
