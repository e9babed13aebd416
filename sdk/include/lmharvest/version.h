/* lmharvest plugin ABI: version numbers and the export macro.
 *
 * The ABI major version is part of the entry symbol's name (lh_plugin_entry_v1): a host speaking
 * major 1 only ever calls lh_plugin_entry_v1. The minor version is a capability level: a plugin
 * built against 1.N runs on any 1.M host; fields added in minor M are read only after checking
 * struct_size (see LH_HAS_FIELD).
 */
#ifndef LMHARVEST_VERSION_H
#define LMHARVEST_VERSION_H

#include <stddef.h>
#include <stdint.h>

#define LH_ABI_MAJOR 1
#define LH_ABI_MINOR 1

/* The only symbol a plugin exports. */
#define LH_PLUGIN_ENTRY_NAME "lh_plugin_entry_v1"

#if defined(_WIN32)
#define LH_EXPORT __declspec(dllexport)
#else
#define LH_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
#define LH_EXTERN_C extern "C"
#else
#define LH_EXTERN_C
#endif

/* True when a struct of the given size holds the whole of FIELD.
 * Readers use it before touching a field appended after the struct was first published:
 *   if (LH_HAS_FIELD(lh_session, s, borrow_expiry)) ... */
#define LH_HAS_FIELD(TYPE, PTR, FIELD)                                                             \
    ((PTR)->struct_size >= offsetof(TYPE, FIELD) + sizeof(((TYPE*)0)->FIELD))

#endif
