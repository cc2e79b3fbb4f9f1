#pragma once
// The district database schema, one entry per version (PRAGMA user_version). Migrations only ever
// append: an entry, once released, never changes; officers, reports and the dashboard arrive as
// later entries. Private to sync/server.
#include <array>
#include <string_view>

namespace kiosk::district {

constexpr std::array<std::string_view, 17> kDistrictMigrations{
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
    // version 2: district officers, dashboard sessions, receptions, imports, report dates
    R"sql(
-- District officers (district_officers.h): only argon2id hashes of their passwords.
CREATE TABLE officers(
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK(role IN ('officer','inspector','leader','admin')),
  password_hash TEXT NOT NULL,                -- crypto_pwhash_str (argon2id)
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,             -- unix ms
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0    -- unix ms
);
-- Dashboard sessions: only the SHA-256 of the cookie's token is kept.
CREATE TABLE sessions(
  token_sha256 TEXT PRIMARY KEY,
  officer_id   TEXT NOT NULL REFERENCES officers(id),
  csrf         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,              -- unix ms
  last_used    INTEGER NOT NULL
);
CREATE INDEX sessions_by_officer ON sessions(officer_id);
-- Every reading of a denouncer's identity (docs/domain.md): who, which record, when.
CREATE TABLE identity_reads(
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  officer_id  TEXT NOT NULL,
  record_code TEXT NOT NULL,
  at          INTEGER NOT NULL                -- unix ms
);
CREATE INDEX identity_reads_by_record ON identity_reads(record_code, at);
-- Citizen receptions (tiếp công dân, district_receptions.h), from the district and the kiosks.
CREATE TABLE receptions(
  uuid        TEXT PRIMARY KEY,
  level       TEXT NOT NULL CHECK(level IN ('district','commune')),
  commune     TEXT NOT NULL DEFAULT '',
  kiosk       TEXT NOT NULL DEFAULT '',
  officer_id  TEXT NOT NULL,
  at          INTEGER NOT NULL,               -- unix s, the recorder's clock
  received_on TEXT NOT NULL,                  -- YYYY-MM-DD (UTC+7)
  people      INTEGER NOT NULL CHECK(people BETWEEN 1 AND 1000),
  case_code   TEXT,                           -- NULL: a new case
  kind        TEXT NOT NULL DEFAULT '',
  outcome     TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL                -- unix ms, server clock
);
CREATE INDEX receptions_by_date ON receptions(received_on);
-- Reference data the district imported (reference_import.h): the latest table of each kind.
CREATE TABLE reference_imports(
  kind        TEXT PRIMARY KEY CHECK(kind IN ('holidays','catalog')),
  body        TEXT NOT NULL,                  -- the JSON items of the change
  imported_at INTEGER NOT NULL,
  imported_by TEXT NOT NULL DEFAULT ''
);
-- The dates the report counts by (report.h), kept by triggers on the events the district accepts,
-- whoever writes them (a kiosk's push, a district officer's action).
ALTER TABLE records ADD COLUMN finished_on TEXT;   -- YYYY-MM-DD (UTC+7, the actor's clock) of the
                                                   -- event that closed it or made its result ready
ALTER TABLE records ADD COLUMN delivered_on TEXT;  -- dossiers: the result delivered
ALTER TABLE records ADD COLUMN rating TEXT;        -- very-satisfied | satisfied | unsatisfied
CREATE TRIGGER records_report_dates AFTER INSERT ON events
WHEN NEW.verdict = 'accepted' AND NEW.action IN ('resolve','reject','withdraw','ready','deliver')
BEGIN
  UPDATE records SET finished_on = coalesce(finished_on, date(NEW.at, 'unixepoch', '+7 hours'))
   WHERE code = NEW.record
     AND status IN ('resolved','not-accepted','withdrawn','result-ready','delivered','refused');
  UPDATE records SET delivered_on = date(NEW.at, 'unixepoch', '+7 hours')
   WHERE code = NEW.record AND NEW.action = 'deliver';
END;
CREATE TRIGGER records_rating AFTER INSERT ON events
WHEN NEW.verdict = 'accepted' AND instr(NEW.payload, '"rating"') > 0 AND json_valid(NEW.payload)
  AND json_extract(NEW.payload, '$.rating') IN ('very-satisfied','satisfied','unsatisfied')
BEGIN
  UPDATE records SET rating = json_extract(NEW.payload, '$.rating') WHERE code = NEW.record;
END;
-- Records closed before this version take their dates from their events.
UPDATE records SET finished_on = (
  SELECT date(min(e.at), 'unixepoch', '+7 hours') FROM events e
   WHERE e.record = records.code AND e.verdict = 'accepted'
     AND e.action IN ('resolve','reject','withdraw','ready','deliver'))
 WHERE status IN ('resolved','not-accepted','withdrawn','result-ready','delivered','refused');
UPDATE records SET delivered_on = (
  SELECT date(max(e.at), 'unixepoch', '+7 hours') FROM events e
   WHERE e.record = records.code AND e.verdict = 'accepted' AND e.action = 'deliver')
 WHERE status = 'delivered';
-- Covering indexes for the dashboard: the months' counts and the open records by due date.
CREATE INDEX records_by_received ON records(received_on, kind, commune);
CREATE INDEX records_by_finished ON records(finished_on, kind, status, commune) WHERE finished_on IS NOT NULL;
CREATE INDEX records_open ON records(status, due, commune);
)sql",
    // version 3: the report-dates trigger's condition without an IN list. SQLite built a temporary
    // table for the list each time the trigger ran, that is for every event inserted (a tenth of
    // the push writer's time); equalities joined by OR are tested in place. Same rows, same dates.
    R"sql(
DROP TRIGGER records_report_dates;
CREATE TRIGGER records_report_dates AFTER INSERT ON events
WHEN NEW.verdict = 'accepted' AND (NEW.action = 'resolve' OR NEW.action = 'reject' OR
  NEW.action = 'withdraw' OR NEW.action = 'ready' OR NEW.action = 'deliver')
BEGIN
  UPDATE records SET finished_on = coalesce(finished_on, date(NEW.at, 'unixepoch', '+7 hours'))
   WHERE code = NEW.record
     AND status IN ('resolved','not-accepted','withdrawn','result-ready','delivered','refused');
  UPDATE records SET delivered_on = date(NEW.at, 'unixepoch', '+7 hours')
   WHERE code = NEW.record AND NEW.action = 'deliver';
END;
)sql",
    // version 4: each kiosk's receipt-code slot (core/receipt_code.h), given at enrollment, so the
    // district can tell a kiosk's codes from another's (push_judgement.h). A kiosk enrolled before
    // keeps the slot its accepted records carry; one that has sent none has NULL until its first
    // record (push_judgement.cpp, adoptSlot). slot_told_at ends the time a kiosk may print 00.
    R"sql(
ALTER TABLE kiosks ADD COLUMN slot INTEGER;  -- 01-99, never reused in a commune; NULL: not known yet
ALTER TABLE kiosks ADD COLUMN slot_told_at INTEGER;  -- unix ms of the first whoami that gave the slot
UPDATE kiosks SET slot = (
  SELECT CAST(substr(e.record, 6, 2) AS INTEGER) FROM events e
   WHERE e.kiosk = kiosks.id AND e.verdict = 'accepted' AND (e.action = 'submit' OR e.action = 'register')
     AND length(e.record) = 16 AND substr(e.record, 1, 5) = kiosks.commune AND substr(e.record, 6, 2) <> '00'
   ORDER BY e.received_at DESC LIMIT 1);
)sql",
    // version 5: commune officers' signing keys (district/office/commune_officers.h). A commune
    // officer's action pushed by a kiosk is accepted only under a key registered here for that
    // officer in the kiosk's commune; a PIN change at the kiosk makes a new key, added beside the old
    // one so events signed before the change still pass.
    R"sql(
CREATE TABLE commune_officers(
  commune     TEXT NOT NULL,
  officer_id  TEXT NOT NULL,
  signing_key TEXT NOT NULL,              -- base64 Ed25519 public key
  name        TEXT NOT NULL DEFAULT '',
  disabled    INTEGER NOT NULL DEFAULT 0, -- 1: every key of this officer in this commune is refused
  added_at    INTEGER NOT NULL,           -- unix ms, server clock
  PRIMARY KEY(commune, officer_id, signing_key)
);
)sql",
    // version 6: failed logins counted per id typed and per client address, in place of the
    // officers' lockout columns (failed_logins and locked_until stay, unread). officers.h "login
    // attempts".
    R"sql(
CREATE TABLE login_failures(
  key          TEXT PRIMARY KEY,   -- 'id:' + the id typed (known or not), 'addr:' + the client address
  failures     INTEGER NOT NULL,   -- in a row, since the count last started
  last_failure INTEGER NOT NULL    -- unix ms, server clock
);
CREATE INDEX login_failures_by_time ON login_failures(last_failure);
)sql",
    // version 7: a kiosk that speaks plain http:// to the district (kioskctl init --insecure-http),
    // as its last push's heartbeat said; the dashboard flags it.
    R"sql(
ALTER TABLE kiosks ADD COLUMN insecure_http INTEGER NOT NULL DEFAULT 0;
)sql",
    // version 8: petitions received on paper at the server (district/office/intake.h): how each came and who
    // registered it. The record itself is in `records` under the server's own code series.
    R"sql(
CREATE TABLE intakes(
  code            TEXT PRIMARY KEY REFERENCES records(code),
  channel         TEXT NOT NULL CHECK(channel IN ('post','in-person')),
  officer_id      TEXT NOT NULL,
  citizen_commune TEXT NOT NULL DEFAULT '',  -- the citizens' commune when given
  received_on     TEXT NOT NULL,             -- the date the officer gave
  created_at      INTEGER NOT NULL           -- unix ms, server clock
);
)sql",
    // version 9: an officer whose role is one the data names competent to resolve denunciations
    // (district/office/denouncer_readers.h) rather than one of the four; `role` then says 'officer'.
    R"sql(
ALTER TABLE officers ADD COLUMN named_role TEXT NOT NULL DEFAULT '';
)sql",
    // version 10: the district's unit table and succession table become imports like the holidays and the
    // catalog (reference_import.h); SQLite cannot widen a CHECK, so the table is rebuilt.
    R"sql(
CREATE TABLE reference_imports_new(
  kind        TEXT PRIMARY KEY CHECK(kind IN ('holidays','catalog','units','succession')),
  body        TEXT NOT NULL,                  -- the JSON items (core/unit_map_json.h for units, succession)
  imported_at INTEGER NOT NULL,
  imported_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO reference_imports_new(kind, body, imported_at, imported_by)
  SELECT kind, body, imported_at, imported_by FROM reference_imports;
DROP TABLE reference_imports;
ALTER TABLE reference_imports_new RENAME TO reference_imports;
)sql",
    // version 11: a petition's first acceptance (thụ lý): accepting again after a request for information keeps
    // the due date that acceptance set (core/state_machine.h). '' = never accepted. `complex` now
    // also holds 2 for a tố cáo classed especially complex.
    R"sql(
ALTER TABLE records ADD COLUMN accepted_on TEXT NOT NULL DEFAULT '';
)sql",
    // version 12: a kiosk moved to its commune's successor (district-server move-kiosk) keeps its token and
    // sequence; the commune and slot it leaves stay its codes' owner: never given again, and its
    // records there still pass check-codes.
    R"sql(
CREATE TABLE kiosk_moves(
  kiosk_id   TEXT NOT NULL,
  commune    TEXT NOT NULL,     -- the commune it was enrolled under until the move
  slot       INTEGER,           -- its slot there (NULL: it had none)
  zero_until INTEGER NOT NULL,  -- unix ms: its 00 codes there are from before this (check-codes)
  moved_at   INTEGER NOT NULL,  -- unix ms, server clock
  PRIMARY KEY(kiosk_id, moved_at)
);
)sql",
    // version 13: a transfer's agency (core/agencies.h; '' = a transfer from before transfers named one), a khiếu
    // nại's suspension (tạm đình chỉ) since and the parts of it withdrawn (core/state_machine.h), and
    // the day of a record's last transfer: while it stays transferred it is out of the pool the report
    // counts to be resolved (report.h).
    R"sql(
ALTER TABLE records ADD COLUMN transfer_agency TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN suspended_on TEXT NOT NULL DEFAULT '';    -- YYYY-MM-DD, '' = not suspended
ALTER TABLE records ADD COLUMN withdrawn_parts TEXT NOT NULL DEFAULT ''; -- one part per line
ALTER TABLE records ADD COLUMN transferred_on TEXT;                      -- YYYY-MM-DD (UTC+7, the actor's clock)
CREATE TRIGGER records_transfer_date AFTER INSERT ON events
WHEN NEW.verdict = 'accepted' AND NEW.action = 'transfer'
BEGIN
  UPDATE records SET transferred_on = date(NEW.at, 'unixepoch', '+7 hours') WHERE code = NEW.record;
END;
UPDATE records SET transferred_on = (
  SELECT date(max(e.at), 'unixepoch', '+7 hours') FROM events e
   WHERE e.record = records.code AND e.verdict = 'accepted' AND e.action = 'transfer')
 WHERE status = 'transferred';
)sql",
    // version 14: citizens' satisfaction ratings the kiosks send beside their events
    // (district/office/ratings.h): no identity, one per record and stage; the report counts them
    // by the day they were given and the record's commune.
    R"sql(
CREATE TABLE ratings(
  uuid        TEXT PRIMARY KEY,
  record      TEXT NOT NULL,                  -- the record's receipt code
  stage       TEXT NOT NULL CHECK(stage IN ('receipt','finished')),
  value       TEXT NOT NULL CHECK(value IN ('rat-hai-long','hai-long','khong-hai-long')),
  criteria    TEXT NOT NULL DEFAULT '',       -- ticked criteria ids, comma-separated
  commune     TEXT NOT NULL,                  -- the record's commune
  kiosk       TEXT NOT NULL,                  -- the kiosk that sent it
  at          INTEGER NOT NULL,               -- unix s, the kiosk's clock
  rated_on    TEXT NOT NULL,                  -- YYYY-MM-DD of `at` at UTC+7
  received_at INTEGER NOT NULL,               -- unix ms, server clock
  UNIQUE(record, stage)
);
CREATE INDEX ratings_by_date ON ratings(rated_on, commune);
)sql",
    // version 15: a citizen waiting at the kiosk for an officer ("Gọi cán bộ"): when they asked, as
    // the kiosk's last heartbeat said (unix ms, the kiosk's clock); NULL when nobody is waiting.
    R"sql(
ALTER TABLE kiosks ADD COLUMN help_requested_ms INTEGER;
)sql",
    // version 16: the dashboard's officers' action log (district/office/officer_log.h), kiosk names
    // (administration.h), records given to officers (assignments.h), and the indexes the
    // dashboard's lists and log read by
    R"sql(
-- Logins and administrators' changes at the dashboard; actions on records and readings of
-- identities are read from events and identity_reads, not written twice.
CREATE TABLE officer_actions(
  at         INTEGER NOT NULL,               -- unix ms, server clock
  officer_id TEXT NOT NULL,
  action     TEXT NOT NULL,                  -- "login", "kiosk.enroll", "officer.add" …
  subject    TEXT NOT NULL DEFAULT '',       -- the kiosk or officer acted on
  detail     TEXT NOT NULL DEFAULT ''        -- a name, role or commune; never a password or token
);
CREATE INDEX officer_actions_by_at ON officer_actions(at);
CREATE INDEX events_by_actor ON events(actor_role, received_at);
-- The names administrators give kiosks ("Máy ở sảnh")...
CREATE TABLE kiosk_names(
  kiosk_id TEXT PRIMARY KEY REFERENCES kiosks(id),
  name     TEXT NOT NULL
);
-- Which district officer a record is given to (assignments.h), by whom, when.
CREATE TABLE record_assignments(
  record_code TEXT PRIMARY KEY REFERENCES records(code),
  officer_id  TEXT NOT NULL,
  assigned_by TEXT NOT NULL,
  at          INTEGER NOT NULL               -- unix ms, server clock
);
CREATE INDEX record_assignments_by_officer ON record_assignments(officer_id, record_code);
-- The records lists' default order (records still to be handled, by due date).
CREATE INDEX records_by_due ON records(due, code);
)sql",
    // version 17: the keyed index of sealed names and numbers (district/office/identity_index.h): the
    // identity search opens only the seals of records that hold every token of the query
    R"sql(
-- A token is 16 bits of a keyed hash (BLAKE2b under a key derived from the key file, never
-- stored here) of a prefix of a word of the citizen's name or of 3 digits of a phone or số định
-- danh (a tố cáo's under a key of their own). Collisions are meant: the index only narrows what
-- the search opens.
CREATE TABLE identity_tokens(
  token  INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY(token, record)
) WITHOUT ROWID;
-- The records the indexer has seen; the search opens every other one itself.
CREATE TABLE identity_indexed(
  record TEXT PRIMARY KEY,
  opened INTEGER NOT NULL                    -- 1: its seal opened and its tokens are written
);
)sql",
};

}  // namespace kiosk::district
