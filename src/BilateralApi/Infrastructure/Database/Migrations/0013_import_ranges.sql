-- A bulk import names the rows it created as id ranges instead of one row each (issue 10,
-- docs/decisions/0037-import-attribution-by-range.md): an import hands out consecutive ids, so a
-- BACI year of millions of new rows is one range. trade_record_import keeps the versions an import
-- wrote that a range cannot say: updates, and a row created under a reused id (its version continues
-- after the deleted row's, decision 0024).
CREATE TABLE trade_import_range (
    import_seq INTEGER NOT NULL,
    first_id   INTEGER NOT NULL,
    last_id    INTEGER NOT NULL,
    PRIMARY KEY (import_seq, first_id)
) WITHOUT ROWID;

-- Rows already attributed one by one become ranges: consecutive ids of one import that it created at
-- version 1 share (record_id - their rank), the classic gaps-and-islands grouping.
INSERT INTO trade_import_range (import_seq, first_id, last_id)
SELECT import_seq, MIN(record_id), MAX(record_id)
FROM (SELECT import_seq, record_id,
             record_id - ROW_NUMBER() OVER (PARTITION BY import_seq ORDER BY record_id) AS island
      FROM trade_record_import WHERE created = 1 AND version = 1)
GROUP BY import_seq, island;
DELETE FROM trade_record_import WHERE created = 1 AND version = 1;

