#pragma once
// The kiosk database schema, one entry per version. Migrations only ever append: an entry, once
// released, never changes. Private to kiosk/store.
#include <array>
#include <string_view>

namespace kiosk::store {

constexpr std::array<std::string_view, 10> kMigrations{
    // version 1
    R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE records(
  code          TEXT PRIMARY KEY,           -- receipt code, 16 digits
  official_code TEXT UNIQUE,                -- dossiers, once the district assigns it
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
  phone_check   TEXT NOT NULL,              -- keyed hash of the phone's last 4 digits
  updated_hlc   INTEGER NOT NULL
);
CREATE INDEX records_by_due ON records(due, code);
CREATE INDEX records_by_status ON records(status, due);
-- The private part of each record (identity and content), sealed to each recipient that may read
-- it: 'district' and commune officer ids (never officers for a tố cáo). See identity_vault.h.
CREATE TABLE seals(
  record_code TEXT NOT NULL REFERENCES records(code),
  recipient   TEXT NOT NULL,
  box         TEXT NOT NULL,
  PRIMARY KEY(record_code, recipient)
);
-- Rows stay empty: identities live sealed in `seals`. Dropped by version 4.
CREATE TABLE identities(
  record_code TEXT PRIMARY KEY REFERENCES records(code),
  name        TEXT NOT NULL DEFAULT '',
  cccd        TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL,
  address     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE events(
  uuid         TEXT PRIMARY KEY,
  record_code  TEXT NOT NULL REFERENCES records(code),
  action       TEXT NOT NULL,
  actor_role   TEXT NOT NULL,
  actor_id     TEXT NOT NULL,
  hlc          INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  payload      TEXT NOT NULL,
  kiosk_id     TEXT NOT NULL DEFAULT '',
  status_after TEXT NOT NULL,
  origin       TEXT NOT NULL CHECK(origin IN ('local','district')),
  verdict      TEXT NOT NULL DEFAULT '',     -- district's answer to a local event
  reject_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_record ON events(record_code, hlc);
CREATE TABLE outbox(
  seq        INTEGER PRIMARY KEY,            -- per-kiosk gap-free sequence
  event_uuid TEXT NOT NULL UNIQUE REFERENCES events(uuid),
  acked      INTEGER NOT NULL DEFAULT 0,
  attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox(acked, seq);
CREATE TABLE officers(
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  role            TEXT NOT NULL CHECK(role IN ('officer','chair')),
  public_key      TEXT NOT NULL,              -- base64 X25519 public key (identity seals)
  wrapped_key     TEXT NOT NULL,              -- base64 nonce+secretbox(secret key), key from argon2id(PIN)
  kdf_salt        TEXT NOT NULL,
  kdf_ops         INTEGER NOT NULL,
  kdf_mem         INTEGER NOT NULL,
  disabled        INTEGER NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE receptions(                      -- tiếp công dân sessions recorded at the commune
  uuid       TEXT PRIMARY KEY,
  officer_id TEXT NOT NULL,
  at         INTEGER NOT NULL,
  people     INTEGER NOT NULL,
  case_code  TEXT,                            -- NULL for a new case
  note       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE communes(code TEXT PRIMARY KEY, name TEXT NOT NULL, remote INTEGER NOT NULL);
CREATE TABLE petition_kinds(slug TEXT PRIMARY KEY, limits TEXT NOT NULL);
CREATE TABLE holidays(date TEXT PRIMARY KEY, workday INTEGER NOT NULL, name TEXT NOT NULL);
CREATE TABLE ref_values(kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(kind, value));
CREATE TABLE catalog(
  id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, field TEXT NOT NULL,
  processing_time TEXT NOT NULL, limit_days INTEGER, limit_working INTEGER,
  fee TEXT NOT NULL, documents TEXT NOT NULL, postal INTEGER, place TEXT NOT NULL,
  legal_basis TEXT NOT NULL
);
-- Folded text (no diacritics, đ -> d) so a query typed either way matches.
CREATE VIRTUAL TABLE catalog_fts USING fts5(
  id UNINDEXED, name, field, documents, tokenize = 'unicode61 remove_diacritics 2'
);
)sql",
    // version 2: sync bookkeeping (kiosk/store/sync_store.cpp)
    R"sql(
-- The district's view of each record as last pulled. Also the "held back" list: a pulled snapshot
-- is written into records only when the record has no unacknowledged outbox rows (docs/sync-rules.md rule 8);
-- otherwise it waits here (applied = 0) until the push that empties the outbox for it.
CREATE TABLE district_records(
  record_code TEXT PRIMARY KEY,             -- no foreign key: a snapshot may precede its record
  change_seq  INTEGER NOT NULL,             -- the district change that last touched it
  snapshot    TEXT NOT NULL,                -- JSON {code, official_code, kind, status, due, ...}
  applied     INTEGER NOT NULL DEFAULT 0,   -- 1 once written into records
  synced_at   INTEGER NOT NULL              -- unix seconds of the pull that brought it
);
CREATE INDEX district_records_held ON district_records(applied);
-- District events whose record this kiosk does not hold yet (its submit event not seen); folded in
-- when the record arrives.
CREATE TABLE held_events(
  uuid        TEXT PRIMARY KEY,
  record_code TEXT NOT NULL,
  event       TEXT NOT NULL                 -- kiosk::toJson(Event)
);
CREATE INDEX held_events_by_record ON held_events(record_code);
CREATE INDEX events_by_origin ON events(origin, verdict);
)sql",
    // version 3: citizen receptions travel to the district beside the outbox (kiosk/store/reception.h)
    R"sql(
ALTER TABLE receptions ADD COLUMN kind TEXT NOT NULL DEFAULT '';     -- petition kind slug, or ''
ALTER TABLE receptions ADD COLUMN outcome TEXT NOT NULL DEFAULT '';  -- what was done
ALTER TABLE receptions ADD COLUMN sent_at INTEGER;                   -- unix s the district acknowledged it
CREATE INDEX receptions_unsent ON receptions(at) WHERE sent_at IS NULL;
)sql",
    // version 4: the identities table goes. Its rows were always empty (identities live sealed in
    // `seals`), yet each record wrote one, two B-tree inserts more for every record a pull brings.
    R"sql(
DROP TABLE identities;
)sql",
    // version 5: officers' PIN policy and signing keys (kiosk/store/officers.h)
    R"sql(
-- The PIN policy the officer's key was wrapped under: 1 = 6 to 12 digits (before this version),
-- 2 = at least 10 digits. A login under an older policy must set a new PIN before anything else.
ALTER TABLE officers ADD COLUMN pin_policy INTEGER NOT NULL DEFAULT 1;
-- base64 Ed25519 public key the officer's actions are signed with (derived from the wrapped key;
-- '' until the officer is added or logs in under this version).
ALTER TABLE officers ADD COLUMN signing_key TEXT NOT NULL DEFAULT '';
)sql",
    // version 6: a day off that is not confirmed (core/reference_data.h HolidayEntry::provisional):
    // the officer console warns about its year until the official table arrives.
    R"sql(
ALTER TABLE holidays ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
)sql",
    // version 7: a petition's first acceptance (thụ lý): accepting again after a request for information keeps
    // the due date that acceptance set (core/state_machine.h). '' = never accepted. `complex` now
    // also holds 2 for a tố cáo classed especially complex.
    R"sql(
ALTER TABLE records ADD COLUMN accepted_on TEXT NOT NULL DEFAULT '';
)sql",
    // version 8: a transfer's agency (core/agencies.h; '' = a transfer from before transfers named one), a khiếu
    // nại's suspension (tạm đình chỉ) since, and the parts of it withdrawn (core/state_machine.h).
    R"sql(
ALTER TABLE records ADD COLUMN transfer_agency TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN suspended_on TEXT NOT NULL DEFAULT '';    -- YYYY-MM-DD, '' = not suspended
ALTER TABLE records ADD COLUMN withdrawn_parts TEXT NOT NULL DEFAULT ''; -- one part per line
)sql",
    // version 9: the journal of papers to print (kiosk/store/print_journal.h): every paper asked for is a row
    // before it goes to the printer, so a printer fault or a crash loses none; officers retry them.
    R"sql(
CREATE TABLE papers(
  id          INTEGER PRIMARY KEY,
  record_code TEXT NOT NULL REFERENCES records(code),
  paper       TEXT NOT NULL,                -- slip, receipt-form, petition, supplement, apology
  status      TEXT NOT NULL CHECK(status IN ('pending','printed','failed')),
  reason      TEXT NOT NULL DEFAULT '',     -- why it failed: code TAB message vi TAB en
  printer     TEXT NOT NULL DEFAULT '',     -- the CUPS queue it went to ('' = not sent yet)
  job         INTEGER NOT NULL DEFAULT 0,   -- the CUPS job id once the printer accepted it
  attempts    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,             -- unix seconds
  updated_at  INTEGER NOT NULL
);
CREATE INDEX papers_unprinted ON papers(status, id) WHERE status <> 'printed';
)sql",
    // version 10: citizens' satisfaction ratings (kiosk/store/rating.h): no identity, one per record
    // and stage; they travel to the district beside the outbox, like receptions.
    R"sql(
CREATE TABLE ratings(
  uuid        TEXT PRIMARY KEY,
  record_code TEXT NOT NULL,                  -- the record's receipt code
  stage       TEXT NOT NULL CHECK(stage IN ('receipt','finished')),
  value       TEXT NOT NULL CHECK(value IN ('rat-hai-long','hai-long','khong-hai-long')),
  criteria    TEXT NOT NULL DEFAULT '',       -- ticked criteria ids, comma-separated
  at          INTEGER NOT NULL,               -- unix s, this kiosk's clock
  sent_at     INTEGER,                        -- unix s the district acknowledged it
  UNIQUE(record_code, stage)
);
CREATE INDEX ratings_unsent ON ratings(at) WHERE sent_at IS NULL;
)sql",
};

}  // namespace kiosk::store
