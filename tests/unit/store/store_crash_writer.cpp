// store_crash_writer FILE FIRST_BATCH: stores crash_batch(FIRST_BATCH), FIRST_BATCH+1, ...
// forever, printing each batch number once its poll is committed. The crash test kills it.
#include "crash_batch.hpp"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: store_crash_writer FILE FIRST_BATCH\n");
        return 2;
    }
    auto store = lmharvest::Store::open(argv[1]);
    if (!store) {
        std::fprintf(stderr, "%s\n", store.error().c_str());
        return 1;
    }
    // Ends when killed, or on SIGPIPE when the test that reads the numbers is gone.
    for (int64_t batch = std::atoll(argv[2]);; ++batch) {
        (*store)->record_poll(crash_batch(batch), "sim", "crash");
        std::printf("%lld\n", static_cast<long long>(batch));
        std::fflush(stdout);
    }
}
