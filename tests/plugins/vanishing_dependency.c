/* A library that missing_dependency.so needs but cannot find: it is built into another folder
 * and the plugin is linked without an rpath to it. */
#include <lmharvest/version.h>

LH_EXPORT int vanishing_dependency_answer(void) {
    return 42;
}
