// What is wrong with this plugin: its features() throws (as a bug in a vendor's handler
// would). The C++ layer must turn that into a status and last_error, never an exception
// through the C table. It has no save_and_close, reopen or activity: its table leaves them NULL.
#include <lmharvest/plugin.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

class ThrowsInFeatures {
public:
    explicit ThrowsInFeatures(const lmharvest::sdk::HandlerSetup&) {}
    std::vector<std::string> features(const lmharvest::sdk::Process& process) {
        throw std::runtime_error("features exploded on pid " + std::to_string(process.pid));
    }
};

} // namespace

LMHARVEST_HANDLER_PLUGIN(ThrowsInFeatures, "throws_in_features", "1.0", "throws in features")
