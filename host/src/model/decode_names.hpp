// A server's `encoding` applied to what one poll found: every name and message the tools
// printed, decoded to UTF-8 before the store sees it.
#pragma once

#include "model/snapshot.hpp"
#include "text/encoding.hpp"

namespace lmharvest {

/// Decodes the names, versions and messages of `snapshot` from `encoding`. Each session's
/// `handle` and `close_token` are left as the tool printed them: lmremove needs those bytes.
/// With utf8 nothing changes.
void decode_names(PollSnapshot& snapshot, text::Encoding encoding);
/// The same for one session (`parse --json` writes each as it is lent).
void decode_names(Session& session, text::Encoding encoding);

} // namespace lmharvest
