// The bytes between the agent and a handler worker: what creates the handler, and each call's
// request and answer (isolation/frame.hpp carries them as handler_* frames).
#pragma once

#include "agent/handler_instance.hpp"
#include "isolation/wire.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace lmharvest::isolation {

/// What a worker needs to create its handler: the plugin's file and the handler's settings.
struct HandlerCreateRequest {
    std::string plugin_file;
    agent::HandlerSettings settings;
    int log_level = 0; // the agent's spdlog level: lower lines are not sent
};
void encode(const std::string& plugin_file, const agent::HandlerSettings& settings, int log_level,
            Writer& out);
bool decode(Reader& in, HandlerCreateRequest& request);

/// The worker's answer to a create: why not ("" when created), and what the handler can do.
struct HandlerCreated {
    std::string error;
    std::vector<std::string> unread_keys;
    bool can_save = false;
    bool can_reopen = false;
};
void encode(const HandlerCreated& created, Writer& out);
bool decode(Reader& in, HandlerCreated& created);

/// The first byte of a handler_call frame: which HandlerInstance call it is.
enum class HandlerCall : uint8_t { features = 1, activity, save_and_close, reopen };

void encode(const agent::ProcessFacts& process, Writer& out);
bool decode(Reader& in, agent::ProcessFacts& process);

void encode(const SavedProject& project, Writer& out);
bool decode(Reader& in, SavedProject& project);

void encode(const std::vector<std::string>& texts, Writer& out);
bool decode(Reader& in, std::vector<std::string>& texts);

/// A call's failure or its saved projects (a save_and_close answer; a reopen's has none).
void encode(const Expected<std::vector<SavedProject>>& outcome, Writer& out);
bool decode(Reader& in, Expected<std::vector<SavedProject>>& outcome);

} // namespace lmharvest::isolation
