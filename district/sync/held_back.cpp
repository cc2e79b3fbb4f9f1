#include "district/sync/held_back.h"

#include <algorithm>

#include "sync/protocol/kiosk_version.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

bool readableBy(const protocol::StoredChange& change, int kindsRead) {
    if (kindsRead >= protocol::kAllKinds) return true;
    // Most changes name no newer action anywhere: a look for its quoted slug spares parsing them.
    bool mentioned = false;
    for (const protocol::NewerAction& newer : protocol::kNewerActions)
        if (newer.kind > kindsRead &&
            change.body.find("\"" + std::string(toSlug(newer.action)) + "\"") != std::string::npos)
            mentioned = true;
    if (!mentioned) return true;
    auto body = protocol::parseJsonSafely(change.body);
    if (!body || !body->is_object()) return true;  // the district wrote it: served as it is
    auto events = body->find("events");
    if (events == body->end() || !events->is_array()) return true;
    for (const auto& event : *events) {
        if (!event.is_object()) continue;
        auto slug = event.find("action");
        if (slug == event.end() || !slug->is_string()) continue;
        auto action = actionFromSlug(slug->get_ref<const std::string&>());
        if (action && protocol::kindOf(*action) > kindsRead) return false;
    }
    return true;
}

protocol::Cursor pullFrom(const protocol::Cursor& since, int kindsRead) {
    protocol::Cursor from = since;
    if (since.heldBackAfter >= 0 && kindsRead > since.kindsRead) {
        from.seq = std::min(since.seq, since.heldBackAfter);
        from.heldBackAfter = -1;
    }
    return from;
}

void holdBackUnreadable(PullPage& page, const protocol::Cursor& from, int kindsRead) {
    if (page.reset || (kindsRead >= protocol::kAllKinds && from.heldBackAfter < 0)) return;
    int64_t heldBackAfter = from.heldBackAfter;
    auto unreadable = [&](const protocol::StoredChange& change) {
        if (readableBy(change, kindsRead)) return false;
        if (heldBackAfter < 0 || change.seq - 1 < heldBackAfter) heldBackAfter = change.seq - 1;
        return true;
    };
    page.changes.erase(std::remove_if(page.changes.begin(), page.changes.end(), unreadable),
                       page.changes.end());
    if (heldBackAfter < 0) return;
    auto next = protocol::decodeCursor(page.next);
    if (!next) return;  // the store wrote it: always a cursor
    next->heldBackAfter = heldBackAfter;
    next->kindsRead = kindsRead;
    page.next = protocol::encodeCursor(*next);
}

}  // namespace kiosk::district
