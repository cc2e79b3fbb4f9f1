#pragma once
// The district database schema, one entry per version (PRAGMA user_version). Migrations only ever
// append: an entry, once released, never changes; officers, reports and the dashboard arrive as
// later entries. Private to sync/server.
#include <array>
#include <string_view>

namespace kiosk::server {

constexpr std::array<std::string_view, 1> kDistrictMigrations{
    // version 1: kiosks, records, events, per-kiosk sequences, the change feed
    R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- One row per enrolled kiosk identity. A replaced kiosk gets a new row (new id, new sequences).
CREATE TABLE kiosks(
  id            TEXT PRIMARY KEY,            -- "k" + a number never reused
  commune       TEXT NOT NULL,
  token_sha256  TEXT NOT NULL UNIQUE,        -- hex SHA-256 of the bearer token; the token is never stored
  created_at    INTEGER NOT NULL,            -- unix ms, server clock
  revoked       INTEGER NOT NULL DEFAULT 0,
  revoked_at    INTEGER,
  last_seen     INTEGER,                     -- unix ms of the last authenticated request
  acked_seq     INTEGER NOT NULL DEFAULT 0,  -- high-water mark of this kiosk's event sequence
  clock_skew_ms INTEGER,                     -- kiosk clock minus server clock (positive: ahead)
  app_version   TEXT,
  queue_depth   INTEGER,
  free_disk_mb  INTEGER
);
-- The district's current row per record, folded from accepted events by the core state machine.
CREATE TABLE records(
  code          TEXT PRIMARY KEY,
  official_code TEXT,
  kind          TEXT NOT NULL CHECK(kind IN ('petition','dossier')),
  petition_kind TEXT,
  procedure     TEXT,
  commune       TEXT NOT NULL,
  status        TEXT NOT NULL,
  submitted_at  INTEGER NOT NULL,
  received_on   TEXT NOT NULL,
  due           TEXT NOT NULL,
  complex       INTEGER NOT NULL DEFAULT 0,
  extensions    INTEGER NOT NULL DEFAULT 0,
  delivery      TEXT NOT NULL DEFAULT 'counter',
  content       TEXT NOT NULL DEFAULT '',
  result_note   TEXT NOT NULL DEFAULT '',
  linked_code   TEXT,
  event_count   INTEGER NOT NULL DEFAULT 0,  -- accepted events
  updated_at    INTEGER NOT NULL             -- unix ms, server clock
);
CREATE INDEX records_by_commune ON records(commune, code);
CREATE INDEX records_by_official_code ON records(official_code) WHERE official_code IS NOT NULL;
-- The citizen's identity, apart from the record so it can be sealed later (Hardening).
CREATE TABLE identities(
  record_code TEXT PRIMARY KEY REFERENCES records(code),
  name        TEXT NOT NULL DEFAULT '',
  cccd        TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT ''
);
-- Every event the district judged (accepted or rejected), as received.
CREATE TABLE events(
  uuid        TEXT PRIMARY KEY,
  kiosk       TEXT NOT NULL DEFAULT '',      -- '' for the district's own events
  seq         INTEGER,
  record      TEXT NOT NULL,
  action      TEXT NOT NULL,
  actor_role  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  hlc         INTEGER NOT NULL,
  at          INTEGER NOT NULL,              -- unix s, the actor's clock (for people, not order)
  payload     TEXT NOT NULL,
  received_at INTEGER NOT NULL,              -- unix ms, server clock
  verdict     TEXT NOT NULL CHECK(verdict IN ('accepted','rejected')),
  reason      TEXT NOT NULL DEFAULT ''       -- JSON {"code","vi","en"} when rejected
);
CREATE INDEX events_by_record ON events(record, received_at);
-- Each kiosk sequence number the district has consumed and the event UUID that consumed it: tells a
-- duplicate resend from a restored kiosk reusing numbers (409), even for events that could not be
-- stored in events (unreadable, or a UUID already taken).
CREATE TABLE kiosk_sequence(
  kiosk   TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  uuid    TEXT NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY(kiosk, seq)
) WITHOUT ROWID;
CREATE INDEX kiosk_sequence_by_uuid ON kiosk_sequence(kiosk, uuid);
-- The change feed kiosks pull: monotonically increasing seq; commune '' = district-wide.
CREATE TABLE changes(
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  commune    TEXT NOT NULL,
  type       TEXT NOT NULL,
  body       TEXT NOT NULL,                  -- protocol::encodeChangeBody (without seq)
  created_at INTEGER NOT NULL
);
CREATE INDEX changes_by_commune ON changes(commune, seq);
)sql",
};

}  // namespace kiosk::server
