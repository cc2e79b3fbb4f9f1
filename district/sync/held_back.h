#pragma once
// Pull pages for kiosks of several versions: the changes a kiosk cannot read, held back from it
// until it can. A kiosk refuses a whole pull page that carries an action its release does not know
// (protocol::kindOf), and would stop pulling until upgraded; so a commune's kiosks are upgraded one
// at a time while officers at the newer ones use the newer actions (docs/sync-protocol.md "Kiosks
// of several versions").
//
// It is: the filter of one page by the kinds the kiosk reads (protocol::kindsReadBy of its
// User-Agent's version), and the cursor that remembers the first change held back
// (protocol::Cursor::heldBackAfter). When the same kiosk later says a version that reads more, its
// pull starts again from there, so it receives what it missed; the changes it already holds come
// again and change nothing (the kiosk upserts events by UUID and keeps the newest snapshot).
// It is not: the feed itself (DistrictStore::pull) or who may pull (SyncRoutes).
// Callers: SyncRoutes::pull. Pure functions; any thread.
#include "district/store/district_store.h"
#include "sync/protocol/messages.h"

namespace kiosk::district {

// Whether a kiosk that reads `kindsRead` kinds can read the change: false for a record change with
// an event of a newer kind.
bool readableBy(const protocol::StoredChange& change, int kindsRead);

// Where to read the feed from for a kiosk that reads `kindsRead` kinds: `since`, or, when changes
// were held back from it and it now reads more kinds than then, from the first of them (the cursor
// then remembers nothing held back: the page read from there holds back again what it still cannot
// read).
protocol::Cursor pullFrom(const protocol::Cursor& since, int kindsRead);

// Drops from `page` the changes a kiosk reading `kindsRead` kinds cannot read, and makes its `next`
// remember the first change held back (or the one `from` remembered, when earlier). `from` is the
// cursor the page was read from (pullFrom's). Nothing changes for a kiosk that reads every kind
// and was never held anything back.
void holdBackUnreadable(PullPage& page, const protocol::Cursor& from, int kindsRead);

}  // namespace kiosk::district
