// The human-readable form of one poll (`lmharvest parse` without --json).
#pragma once

#include "model/snapshot.hpp"

#include <string>

namespace lmharvest {

std::string to_text(const PollSnapshot& snapshot);

} // namespace lmharvest
