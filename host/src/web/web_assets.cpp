#include "web/web_assets.hpp"

#include <algorithm>

namespace lmharvest::web {

const WebAsset* find_asset(std::string_view name) {
    const auto& assets = all_assets();
    const auto found = std::find_if(assets.begin(), assets.end(),
                                    [name](const WebAsset& asset) { return asset.name == name; });
    return found == assets.end() ? nullptr : &*found;
}

} // namespace lmharvest::web
