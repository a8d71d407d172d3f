-- BilateralApi schema, version 1.
-- Conventions: curated ids are TEXT slugs; trade records have INTEGER ids; dates that sources give
-- loosely are stored as value (as given), optional range end, inferred flag, and the earliest/latest
-- day they can mean (ISO-8601 TEXT) so that filters match by overlap; money is INTEGER cents
-- (exact, summable in SQL); codes are stored as their code strings.

CREATE TABLE country (
    alpha3        TEXT PRIMARY KEY,
    alpha2        TEXT NULL UNIQUE,
    numeric       TEXT NULL UNIQUE,
    name          TEXT NOT NULL,
    official_name TEXT NOT NULL,
    historical    INTEGER NOT NULL DEFAULT 0,
    valid_from    TEXT NULL,
    valid_to      TEXT NULL
) WITHOUT ROWID;

CREATE TABLE commodity (
    code        TEXT PRIMARY KEY,
    level       TEXT NOT NULL,
    parent      TEXT NULL REFERENCES commodity(code),
    description TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE code_list_entry (
    list        TEXT NOT NULL,
    code        TEXT NOT NULL,
    parent      TEXT NOT NULL DEFAULT '',
    label       TEXT NOT NULL,
    description TEXT NOT NULL,
    quad        INTEGER NULL,
    intensity   REAL NULL,
    cameo       TEXT NULL,
    ordinal     INTEGER NOT NULL,
    PRIMARY KEY (list, parent, code)
) WITHOUT ROWID;

CREATE TABLE source (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    author       TEXT NULL,
    publisher    TEXT NULL,
    title        TEXT NULL,
    url          TEXT NULL,
    published_on TEXT NULL,
    retrieved_on TEXT NULL,
    reliability  TEXT NOT NULL,
    licence      TEXT NULL,
    notes        TEXT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL
);
CREATE INDEX ix_source_type ON source(type, id);

-- Citations of curated records; record_kind is 'agreement', 'event' or 'claim'.
CREATE TABLE citation (
    record_kind TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    ordinal     INTEGER NOT NULL,
    source_id   TEXT NOT NULL REFERENCES source(id) ON DELETE RESTRICT,
    locator     TEXT NULL,
    quote       TEXT NULL,
    supports    TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX ix_citation_source ON citation(source_id);

CREATE TABLE agreement (
    id                      TEXT PRIMARY KEY,
    title                   TEXT NOT NULL,
    short_title             TEXT NULL,
    type                    TEXT NOT NULL,
    status                  TEXT NOT NULL,
    signed_value            TEXT NULL,
    signed_to               TEXT NULL,
    signed_inferred         INTEGER NOT NULL DEFAULT 0,
    signed_start            TEXT NULL,
    signed_end              TEXT NULL,
    in_force_value          TEXT NULL,
    in_force_to             TEXT NULL,
    in_force_inferred       INTEGER NOT NULL DEFAULT 0,
    in_force_start          TEXT NULL,
    in_force_end            TEXT NULL,
    valid_until_value       TEXT NULL,
    valid_until_to          TEXT NULL,
    valid_until_inferred    INTEGER NOT NULL DEFAULT 0,
    valid_until_start       TEXT NULL,
    valid_until_end         TEXT NULL,
    ended_value             TEXT NULL,
    ended_to                TEXT NULL,
    ended_inferred          INTEGER NOT NULL DEFAULT 0,
    ended_start             TEXT NULL,
    ended_end               TEXT NULL,
    ended_reason            TEXT NULL,
    place                   TEXT NULL,
    summary                 TEXT NULL,
    value_usd_cents         INTEGER NULL,
    parent_id               TEXT NULL REFERENCES agreement(id) ON DELETE RESTRICT,
    parent_relation         TEXT NULL,
    notes                   TEXT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL
);
CREATE INDEX ix_agreement_type ON agreement(type, id);
CREATE INDEX ix_agreement_status ON agreement(status, id);
CREATE INDEX ix_agreement_signed ON agreement(signed_start, signed_end);
CREATE INDEX ix_agreement_parent ON agreement(parent_id);

CREATE TABLE agreement_subject (
    agreement_id TEXT NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    subject      TEXT NOT NULL,
    PRIMARY KEY (agreement_id, subject)
) WITHOUT ROWID;
CREATE INDEX ix_agreement_subject_subject ON agreement_subject(subject, agreement_id);

CREATE TABLE agreement_party (
    agreement_id  TEXT NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    country       TEXT NULL REFERENCES country(alpha3),
    name          TEXT NULL,
    role          TEXT NOT NULL,
    consent_type  TEXT NULL,
    signed_on     TEXT NULL,
    consented_on  TEXT NULL,
    in_force_on   TEXT NULL,
    withdrawn_on  TEXT NULL,
    PRIMARY KEY (agreement_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX ix_agreement_party_country ON agreement_party(country, agreement_id);

CREATE TABLE event (
    id                   TEXT PRIMARY KEY,
    title                TEXT NOT NULL,
    summary              TEXT NULL,
    date_value           TEXT NOT NULL,
    date_to              TEXT NULL,
    date_inferred        INTEGER NOT NULL DEFAULT 0,
    date_start           TEXT NOT NULL,
    date_end             TEXT NOT NULL,
    type                 TEXT NOT NULL,
    mode                 TEXT NULL,
    subtype              TEXT NULL,
    intensity            REAL NULL,
    quad                 INTEGER NOT NULL,
    location_country     TEXT NULL REFERENCES country(alpha3),
    location_place       TEXT NULL,
    verification         TEXT NOT NULL,
    related_agreement_id TEXT NULL REFERENCES agreement(id) ON DELETE RESTRICT,
    notes                TEXT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    version              INTEGER NOT NULL
);
CREATE INDEX ix_event_date ON event(date_start, id);
CREATE INDEX ix_event_type ON event(type, date_start, id);
CREATE INDEX ix_event_quad ON event(quad, date_start);
CREATE INDEX ix_event_related_agreement ON event(related_agreement_id);

CREATE TABLE event_context (
    event_id TEXT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    context  TEXT NOT NULL,
    PRIMARY KEY (event_id, context)
) WITHOUT ROWID;

CREATE TABLE event_subject (
    event_id TEXT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    subject  TEXT NOT NULL,
    PRIMARY KEY (event_id, subject)
) WITHOUT ROWID;
CREATE INDEX ix_event_subject_subject ON event_subject(subject, event_id);

CREATE TABLE event_participant (
    event_id TEXT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    ordinal  INTEGER NOT NULL,
    role     TEXT NOT NULL,
    country  TEXT NULL REFERENCES country(alpha3),
    sector   TEXT NULL,
    name     TEXT NULL,
    PRIMARY KEY (event_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX ix_event_participant_country ON event_participant(country, event_id);

CREATE TABLE claim (
    id              TEXT PRIMARY KEY,
    text            TEXT NOT NULL,
    indicator       TEXT NOT NULL,
    reporter        TEXT NULL REFERENCES country(alpha3),
    partner         TEXT NULL REFERENCES country(alpha3),
    flow            TEXT NULL,
    hs              TEXT NULL,
    period_value    TEXT NULL,
    period_to       TEXT NULL,
    period_inferred INTEGER NOT NULL DEFAULT 0,
    period_start    TEXT NULL,
    period_end      TEXT NULL,
    value           TEXT NULL,
    value_to        TEXT NULL,
    unit            TEXT NOT NULL,
    qualifier       TEXT NULL,
    basis           TEXT NOT NULL,
    notes           TEXT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX ix_claim_indicator ON claim(indicator, id);
CREATE INDEX ix_claim_reporter ON claim(reporter, id);
CREATE INDEX ix_claim_partner ON claim(partner, id);

CREATE TABLE trade_record (
    id              INTEGER PRIMARY KEY,
    reporter        TEXT NOT NULL REFERENCES country(alpha3),
    partner         TEXT NOT NULL REFERENCES country(alpha3),
    year            INTEGER NOT NULL,
    month           INTEGER NULL,
    flow            TEXT NOT NULL,
    hs              TEXT NOT NULL,
    transport_mode  INTEGER NOT NULL DEFAULT 0,
    value_usd_cents INTEGER NULL,
    net_weight_kg   REAL NULL,
    quantity        REAL NULL,
    quantity_unit   TEXT NULL,
    value_basis     TEXT NOT NULL,
    estimated       INTEGER NOT NULL DEFAULT 0,
    source_id       TEXT NOT NULL REFERENCES source(id) ON DELETE RESTRICT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL
);
-- The natural key; annual rows have month NULL, which a plain UNIQUE would treat as distinct.
CREATE UNIQUE INDEX ux_trade_record_key ON trade_record(reporter, partner, year, COALESCE(month, 0), flow, hs, transport_mode);
CREATE INDEX ix_trade_record_pair_year ON trade_record(reporter, partner, year);
CREATE INDEX ix_trade_record_reporter_flow_hs_year ON trade_record(reporter, flow, hs, year);
CREATE INDEX ix_trade_record_partner_year ON trade_record(partner, year);
CREATE INDEX ix_trade_record_year ON trade_record(year, id);
CREATE INDEX ix_trade_record_hs ON trade_record(hs, id);
CREATE INDEX ix_trade_record_source ON trade_record(source_id);

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
