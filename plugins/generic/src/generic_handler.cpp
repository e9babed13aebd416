// The generic handler plugin: knows any application by its executable's name and reports the
// license features its table gives it. It cannot save a project, so it has no save_and_close:
// the agent offers only its own methods (suspend, release, notify) for these apps.
#include "app_rules.hpp"

#include <lmharvest/plugin.hpp>

namespace lmharvest::generic {

class GenericHandler {
public:
    explicit GenericHandler(const sdk::HandlerSetup& setup) : rules_(read_app_rules(setup)) {}

    std::vector<std::string> features(const sdk::Process& process) const {
        const AppRule* rule = find_app(rules_, process.executable, process.command_line);
        return rule ? rule->features : std::vector<std::string>{};
    }

private:
    std::vector<AppRule> rules_;
};

} // namespace lmharvest::generic

LMHARVEST_HANDLER_PLUGIN(lmharvest::generic::GenericHandler, "generic", "1.0.0",
                         "any application by executable name, for suspend, release and notify")
