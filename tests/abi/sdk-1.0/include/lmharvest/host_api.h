/* What the host offers a plugin: logging, its own configuration, time and child processes.
 *
 * Threads (defined once, used in every header of the SDK):
 *   [load-thread]  the thread that loads plugins and calls the entry point and create/destroy.
 *   [poll-thread]  a worker thread of the host; calls into one instance are serialized, calls
 *                  into different instances may run at the same time on different threads.
 *   [any-thread]   may be called from any thread, concurrently.
 */
#ifndef LMHARVEST_HOST_API_H
#define LMHARVEST_HOST_API_H

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { LH_LOG_TRACE = 0, LH_LOG_DEBUG = 1, LH_LOG_INFO = 2, LH_LOG_WARN = 3, LH_LOG_ERROR = 4 };

enum { LH_STREAM_STDOUT = 1, LH_STREAM_STDERR = 2 };

/* Opaque handle to one plugin instance's TOML table (for an adapter: [servers.<adapter>]).
 * Owned by the host; valid from create() until destroy() returns. */
typedef struct lh_config lh_config;

/* Receives a child's output as it arrives. `data` is borrowed: valid only during the call. */
typedef void (*lh_output_fn)(void* user_data, int32_t stream, const char* data, size_t size);

typedef struct lh_process_request {
    uint32_t struct_size;
    /* NULL-terminated argument vector; argv[0] is the program (a path, or a name looked up in
     * PATH). Passed to execve as is: no shell ever sees it. Borrowed for the call. */
    const char* const* argv;
    /* Wall-clock limit in milliseconds; at the limit the child (and its process group) is
     * killed with SIGKILL. 0 means the host's default (30 s). */
    uint32_t timeout_ms;
    /* Bytes written to the child's standard input, which is then closed. May be NULL. */
    const char* stdin_data;
    size_t stdin_size;
    lh_output_fn on_output; /* may be NULL: output discarded */
    void* user_data;        /* handed to on_output */
} lh_process_request;

typedef struct lh_process_result {
    uint32_t struct_size; /* set by the caller */
    int32_t exit_code;    /* valid when term_signal == 0 and the child ran */
    int32_t term_signal;  /* signal that ended the child, 0 if it exited */
    int32_t timed_out;    /* 1 if the host killed it at the timeout */
    int64_t duration_ms;
} lh_process_result;

typedef struct lh_host_api lh_host_api;
struct lh_host_api {
    uint32_t struct_size;
    uint32_t abi_major; /* LH_ABI_MAJOR of the host */
    uint32_t abi_minor; /* LH_ABI_MINOR of the host */
    const char* host_version;
    void* host_data; /* private to the host */

    /* Writes one line to the host's log, tagged with the plugin's name. `message` is borrowed.
     * [any-thread] */
    void (*log)(const lh_host_api* host, int32_t level, const char* message);

    /* Typed lookup of a dotted key ("flexnet.lmutil", "close.argv") in the instance's table.
     * Returns LH_ERR_NOT_FOUND when the key is absent, LH_ERR_WRONG_TYPE when it holds another
     * type. Strings returned through `out` are owned by the host and valid until destroy().
     * [any-thread] */
    lh_status (*config_get_string)(const lh_host_api* host, const lh_config* config,
                                   const char* key, const char** out);
    lh_status (*config_get_int)(const lh_host_api* host, const lh_config* config, const char* key,
                                int64_t* out);
    lh_status (*config_get_bool)(const lh_host_api* host, const lh_config* config, const char* key,
                                 int32_t* out);
    /* A duration string with units ("90s", "20m", "1h30m") or an integer of seconds. */
    lh_status (*config_get_duration_ms)(const lh_host_api* host, const lh_config* config,
                                        const char* key, int64_t* out);
    /* Element `index` of an array of strings; LH_ERR_NOT_FOUND past its end. */
    lh_status (*config_get_string_at)(const lh_host_api* host, const lh_config* config,
                                      const char* key, uint32_t index, const char** out);

    /* Milliseconds from an arbitrary start; never goes backwards. [any-thread] */
    int64_t (*monotonic_ms)(const lh_host_api* host);

    /* Runs a child process with argv (never a shell), feeds it stdin, streams its output to
     * on_output, and kills it at the timeout. Returns LH_OK when the child ran to its end
     * (whatever its exit code), LH_ERR_TIMEOUT when it was killed at the timeout,
     * LH_ERR_SPAWN when it could not be started. Blocks the calling thread. [poll-thread] */
    lh_status (*run_process)(const lh_host_api* host, const lh_process_request* request,
                             lh_process_result* result);
};

#ifdef __cplusplus
}
#endif

#endif
