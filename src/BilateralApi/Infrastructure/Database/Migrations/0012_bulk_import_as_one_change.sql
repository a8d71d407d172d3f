-- A bulk import is one change (issue 10, docs/decisions/0029-a-bulk-import-is-one-change.md), and the
-- trade table keeps only the indexes a documented query needs (docs/decisions/0030-trade-indexes.md,
-- docs/querying.md "What index serves what").

-- The change log learns the action 'import': one entry per bulk import, whose data is the import as a
-- release (source, file, format, counts, the id ranges it created and updated). SQLite cannot change
-- a CHECK constraint in place, so the table is rebuilt with its rows, seqs and AUTOINCREMENT counter.
CREATE TABLE change_log_new (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    resource    TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import')),
    version     INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    key_id      TEXT NULL,
    data        TEXT NULL
);
INSERT INTO change_log_new (seq, resource, record_id, action, version, changed_at, key_id, data)
    SELECT seq, resource, record_id, action, version, changed_at, key_id, data FROM change_log ORDER BY seq;
DROP TABLE change_log;
ALTER TABLE change_log_new RENAME TO change_log;
CREATE INDEX ix_change_log_record ON change_log (resource, record_id, seq);
-- The few import entries, for a record's history (which imports wrote it).
CREATE INDEX ix_change_log_import ON change_log (resource, seq) WHERE action = 'import';

-- Which import wrote which version of which trade record: a few bytes per written row instead of a
-- JSON snapshot. Keyed by import first: a history looks up (import, id) once per import, and an
-- import's rows are one range of the key.
CREATE TABLE trade_record_import (
    import_seq INTEGER NOT NULL,
    record_id  INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    PRIMARY KEY (import_seq, record_id, version)
) WITHOUT ROWID;

-- Indexes whose queries another index serves as well (a prefix of it, the rowid ending every index)
-- or that no documented query needs; see docs/decisions/0030-trade-indexes.md for each.
DROP INDEX IF EXISTS ix_trade_record_pair_year;
DROP INDEX IF EXISTS ix_trade_record_pair_flow_hs_year;
DROP INDEX IF EXISTS ix_trade_record_reporter_id;
DROP INDEX IF EXISTS ix_trade_record_partner_id;
DROP INDEX IF EXISTS ix_trade_record_year_month;
DROP INDEX IF EXISTS ix_trade_record_weight;
DROP INDEX IF EXISTS ix_trade_record_quantity;
DROP INDEX IF EXISTS ix_trade_record_quantity_unit;
DROP INDEX IF EXISTS ix_trade_record_created;
DROP INDEX IF EXISTS ix_trade_record_updated;
