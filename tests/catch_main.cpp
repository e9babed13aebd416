// The one Catch2 main shared by every test program (compiled once).
//
// The host starts each adapter's worker as `/proc/self/exe plugin-worker --fd N` (isolation/).
// A test program that runs the service in its own process is /proc/self/exe there, so it
// serves as the worker exactly as `lmharvest plugin-worker` does: the same loader and the same
// worker loop, linked from the same library.
#define CATCH_CONFIG_RUNNER
#include "isolation/worker_main.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>

int main(int argc, char* argv[]) {
    if (argc == 4 && std::strcmp(argv[1], "plugin-worker") == 0 &&
        std::strcmp(argv[2], "--fd") == 0)
        return lmharvest::isolation::run_plugin_worker(std::atoi(argv[3]));
    return Catch::Session().run(argc, argv);
}
