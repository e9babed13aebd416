#include "api/http_reply.hpp"
#include "api/routes.hpp"
#include "web/web_assets.hpp"

namespace lmharvest {
namespace {

// The page loads only its own files and talks only to this API: no inline script or style,
// no other origin, and no framing (clickjacking the "X").
constexpr const char* content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void serve_asset(const web::WebAsset& asset, const httplib::Request& request,
                 httplib::Response& response) {
    response.set_header("ETag", std::string(asset.etag));
    // Always asked again, answered 304 while unchanged: a new build shows at the next load.
    response.set_header("Cache-Control", "no-cache");
    response.set_header("Content-Security-Policy", content_security_policy);
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    if (request.get_header_value("If-None-Match") == asset.etag) {
        response.status = 304;
        return;
    }
    response.set_content(std::string(asset.body), std::string(asset.content_type));
}

} // namespace

void add_page_routes(RouteTable& http) {
    http.get("/", [](const httplib::Request& request, httplib::Response& response) {
        serve_asset(*web::find_asset("index.html"), request, response);
    });
    http.get(
        R"(/assets/([^/]+))", [](const httplib::Request& request, httplib::Response& response) {
            const web::WebAsset* asset = web::find_asset(request.matches[1].str());
            if (!asset)
                return reply_error(response, 404, "no asset '" + request.matches[1].str() + "'");
            serve_asset(*asset, request, response);
        });
}

} // namespace lmharvest
