/* Status codes: the only way an error crosses the boundary (never a C++ exception).
 * A function that returns an error status also makes a message available through the
 * matching last_error() call. New codes are only ever appended. */
#ifndef LMHARVEST_STATUS_H
#define LMHARVEST_STATUS_H

#include "version.h"

typedef int32_t lh_status;

enum {
    LH_OK = 0,
    LH_ERR_GENERIC = 1, /* anything not covered below; see last_error() */
    LH_ERR_INVALID_ARGUMENT = 2,
    LH_ERR_NOT_FOUND = 3,     /* config key absent, session not found */
    LH_ERR_WRONG_TYPE = 4,    /* config key present with another type */
    LH_ERR_UNSUPPORTED = 5,   /* the plugin or host does not offer this */
    LH_ERR_TIMEOUT = 6,       /* a child process was killed at its timeout */
    LH_ERR_SPAWN = 7,         /* a child process could not be started */
    LH_ERR_UNAVAILABLE = 8,   /* license server down or unreachable */
    LH_ERR_PERMISSION = 9,    /* not a license administrator (FlexNet -63) */
    LH_ERR_TOO_SOON = 10,     /* removed too recently (FlexNet -64); see retry_after */
    LH_ERR_LINGERING = 11,    /* a lingering license cannot be removed (FlexNet -100) */
    LH_ERR_ALREADY_GONE = 12, /* the session had ended already; the close is a success */
    LH_ERR_BUFFER_TOO_SMALL = 13
};

#endif
