-- Safe writes (issue 5): API keys, idempotency records and the change log.

-- API keys are stored only as a salted SHA-256 of their secret part; the id is the public part of
-- the key (bk_<id>_<secret>), so a presented key is found by id and its secret compared in constant
-- time. See docs/decisions/0013-safe-writes.md.
CREATE TABLE api_key (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    salt        BLOB NOT NULL,
    hash        BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT NULL
) WITHOUT ROWID;

-- One row per (API key, Idempotency-Key): 'running' while the first request is in flight (until
-- locked_until, after which a retry may take it over), then 'done' with the stored response.
CREATE TABLE idempotency_record (
    key_id        TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('running', 'done')),
    status        INTEGER NULL,
    headers       TEXT NULL,
    body          BLOB NULL,
    created_at    TEXT NOT NULL,
    locked_until  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
) WITHOUT ROWID;
CREATE INDEX ix_idempotency_record_expires ON idempotency_record (expires_at);

-- Every write, in the transaction of the write: who (key id; NULL for the seed and the CLI), when,
-- what (create/update/delete of which record, at which version) and the stored representation
-- (NULL for a delete: the tombstone). seq orders the feed and is its cursor.
CREATE TABLE change_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    resource    TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    version     INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    key_id      TEXT NULL,
    data        TEXT NULL
);
CREATE INDEX ix_change_log_record ON change_log (resource, record_id, seq);
