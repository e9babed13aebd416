/* The records an adapter reports from one poll.
 *
 * Ownership: every pointer in these structs is borrowed from the plugin and valid only until the
 * sink callback that receives it returns; the host copies what it keeps. A NULL string means
 * "not known". Times are seconds since the Unix epoch (UTC); 0 means "not known".
 */
#ifndef LMHARVEST_RECORDS_H
#define LMHARVEST_RECORDS_H

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { LH_STATE_UNKNOWN = 0, LH_STATE_UP = 1, LH_STATE_DOWN = 2 };

/* One license server of a (possibly redundant) address, e.g. one host of a triad. */
typedef struct lh_server_status {
    uint32_t struct_size;
    const char* host;    /* "lic1" */
    int32_t state;       /* LH_STATE_* */
    int32_t is_master;   /* 1 for the MASTER of a triad */
    const char* version; /* "v11.19.6" */
    const char* message; /* why it is down, as the tool said it */
} lh_server_status;

/* One vendor daemon (FlexNet) or vendor (LM-X). */
typedef struct lh_vendor_status {
    uint32_t struct_size;
    const char* name;
    int32_t state; /* LH_STATE_* */
    const char* version;
    const char* message;
} lh_vendor_status;

enum {
    LH_FEATURE_UNCOUNTED = 1u << 0,  /* total is meaningless (-1) */
    LH_FEATURE_ERROR = 1u << 1,      /* the server reported an error for it; see error_text */
    LH_FEATURE_NODELOCKED = 1u << 2, /* node-locked rather than floating */
    LH_FEATURE_UNLIMITED = 1u << 3   /* LM-X 2147483647: no limit */
};

/* Usage of one feature: (vendor, name, version) on this server. */
typedef struct lh_feature {
    uint32_t struct_size;
    const char* vendor;
    const char* name;
    const char* version; /* NULL when the output gives none */
    int64_t total;       /* issued; -1 when uncounted or unknown */
    int64_t used;        /* in use, as the server states it (reservations included) */
    int64_t reserved;    /* held by RESERVATION lines */
    int64_t queued;      /* waiting */
    const char* expiry;  /* as printed ("31-dec-2026", "permanent", "2023-01-31") */
    uint32_t flags;      /* LH_FEATURE_* */
    const char* error_text;
} lh_feature;

/* One checkout. */
typedef struct lh_session {
    uint32_t struct_size;
    const char* vendor;
    const char* feature;
    const char* version;
    const char* user;
    const char* host;
    const char* display;
    const char* host_ip;
    int64_t count;          /* licenses (tokens) this checkout holds, >= 1 */
    int64_t checkout_time;  /* epoch seconds */
    int64_t borrow_expiry;  /* epoch seconds; 0 when not borrowed */
    int64_t linger_seconds; /* FlexNet linger; 0 when none */
    int64_t pid;            /* client process id when the output shows it; 0 otherwise */
    const char* server;     /* server host (and port) that granted it: "lic1/27000" */
    const char* handle;     /* the server's handle for this checkout, NULL when it has none */
    /* Opaque to the host: what close_session() needs to remove exactly this checkout.
     * Also the session's identity across polls when `handle` is NULL. */
    const char* close_token;
} lh_session;

enum { LH_DENIAL_DENIED = 1, LH_DENIAL_QUEUED = 2, LH_DENIAL_UNSUPPORTED = 3 };

/* A user was refused (or queued for) a feature. */
typedef struct lh_denial {
    uint32_t struct_size;
    int32_t kind; /* LH_DENIAL_* */
    const char* vendor;
    const char* feature;
    const char* user;
    const char* host;
    const char* reason;
    int64_t time;  /* epoch seconds */
    int64_t count; /* licenses asked for, >= 1 */
} lh_denial;

/* A line (or element) the adapter could not read. It is skipped, never fatal. */
typedef struct lh_skipped_line {
    uint32_t struct_size;
    uint32_t line;      /* 1-based line number in the tool's output; 0 when not line based */
    const char* text;   /* the line itself (may be cut) */
    const char* reason; /* why it was skipped */
} lh_skipped_line;

/* Where poll() reports. Each callback may be NULL (the host ignores that kind). Records may
 * arrive in any order; a feature's sessions may come before or after the feature itself.
 * Callbacks are called on the polling thread, before poll() returns. */
typedef struct lh_poll_sink {
    uint32_t struct_size;
    void* user_data;
    void (*server)(void* user_data, const lh_server_status* record);
    void (*vendor)(void* user_data, const lh_vendor_status* record);
    void (*feature)(void* user_data, const lh_feature* record);
    void (*session)(void* user_data, const lh_session* record);
    void (*denial)(void* user_data, const lh_denial* record);
    void (*skipped)(void* user_data, const lh_skipped_line* record);
} lh_poll_sink;

typedef struct lh_poll_request {
    uint32_t struct_size;
    /* Wall-clock time of this poll (epoch seconds): the only "now" a parser may use, e.g. to
     * give lmstat's year-less start times a year. */
    int64_t poll_time;
} lh_poll_request;

#ifdef __cplusplus
}
#endif

#endif
