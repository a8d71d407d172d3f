-- SQLite's 0013 (decision 0037): a bulk import names the rows it created at version 1 as id ranges. A
-- PostgreSQL database has had no import before this script (the store served nothing until it), so there
-- are no per-row attributions to turn into ranges here.
CREATE TABLE trade_import_range (
    import_seq bigint NOT NULL,
    first_id   bigint NOT NULL,
    last_id    bigint NOT NULL,
    PRIMARY KEY (import_seq, first_id)
);
