// The decision an operator's close with a method stands for: the session, with its pool's
// figures as the harvester's plan has them (or, when the plan does not list it, as the last poll
// found its feature), so that its audit rows carry the same figures as a harvested close.
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <string>

namespace lmharvest {

PlanEntry manual_close_entry(const Store& store, const SessionRecord& record,
                             const std::string& reason, int64_t now);

} // namespace lmharvest
