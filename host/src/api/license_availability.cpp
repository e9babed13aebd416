#include "api/license_availability.hpp"

#include "text/ascii_control.hpp"

#include <algorithm>
#include <lmharvest/records.h>

namespace lmharvest {
namespace {

constexpr std::size_t max_names = 64, max_name_bytes = 128;

bool has_control(const std::string& name) {
    return std::any_of(name.begin(), name.end(), [](char c) {
        return text::is_ascii_control(static_cast<unsigned char>(c));
    });
}

} // namespace

Expected<std::vector<std::string>, FieldError>
parse_features_param(const std::optional<std::string>& value) {
    const auto refuse = [](std::string problem) {
        return unexpected(FieldError{"features", std::move(problem)});
    };
    if (!value || value->empty())
        return refuse("is missing; give the features, like features=MATLAB,Signal_Toolbox");
    std::vector<std::string> names;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = value->find(',', start);
        std::string name = value->substr(start, comma - start);
        if (name.empty() || name.size() > max_name_bytes || has_control(name))
            return refuse("each name must be 1 to 128 bytes without control characters (name " +
                          std::to_string(names.size() + 1) + ")");
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(std::move(name));
        if (names.size() > max_names)
            return refuse("at most 64 names");
        if (comma == std::string::npos)
            return names;
        start = comma + 1;
    }
}

std::vector<FeatureAvailability> license_availability(const std::vector<std::string>& names,
                                                      const std::vector<FeatureRecord>& pools,
                                                      const std::vector<ServerRecord>& servers) {
    const auto is_up = [&servers](const std::string& id) {
        return std::any_of(servers.begin(), servers.end(), [&id](const ServerRecord& s) {
            return s.id == id && s.state == ServerState::up;
        });
    };
    std::vector<FeatureAvailability> out;
    for (const std::string& name : names) {
        FeatureAvailability& f = out.emplace_back();
        f.feature = name;
        for (const FeatureRecord& pool : pools) {
            if (pool.usage.name != name)
                continue;
            ++f.pools;
            if (!is_up(pool.server)) {
                ++f.stale_pools;
                continue;
            }
            f.used += pool.usage.used;
            if (pool.usage.flags & (LH_FEATURE_UNCOUNTED | LH_FEATURE_UNLIMITED))
                f.unlimited = true;
            else if (pool.usage.total) {
                f.total += *pool.usage.total;
                f.free += std::max<int64_t>(0, *pool.usage.total - pool.usage.used);
            }
        }
    }
    return out;
}

} // namespace lmharvest
