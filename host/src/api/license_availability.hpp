// GET /api/v1/agents/{agent}/licenses?features=...: whether a license of each feature an agent
// asks about is free now, so that it resumes a suspended app only when the app can get one back.
#pragma once

#include "common/expected.hpp"
#include "protocol/agent_json.hpp"
#include "store/store_records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

/// `?features=MATLAB,Signal_Toolbox`: 1 to 64 comma-separated names of 1-128 bytes; repeats are
/// dropped. The error names the parameter `features`.
Expected<std::vector<std::string>, FieldError>
parse_features_param(const std::optional<std::string>& value);

/// For each name (in order), its pools on every server summed: free = total - used of the
/// counted pools; unlimited when one is uncounted or unlimited; pools = 0 when none lists it.
/// A pool of a server whose last poll failed (not `up`) counts in `pools` and `stale_pools`
/// only: its figures are from before the failure, and a resume on them may meet a denial.
std::vector<FeatureAvailability> license_availability(const std::vector<std::string>& names,
                                                      const std::vector<FeatureRecord>& pools,
                                                      const std::vector<ServerRecord>& servers);

} // namespace lmharvest
