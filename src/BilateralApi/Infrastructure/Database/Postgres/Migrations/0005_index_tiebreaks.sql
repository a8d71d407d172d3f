-- PostgreSQL only (decision 0043). Every SQLite index ends in the rowid, which is trade_record's id, so
-- SQLite's (partner, year) is (partner, year, id) and its (source_id) is (source_id, id): a keyset page
-- after a cursor (ORDER BY year, id; ORDER BY id) is one index range there. A PostgreSQL index ends in its
-- last declared column, and without the id the same page sorts every row of the cursor's group (all of a
-- partner's rows in a year, all of a source's rows) for each page. SchemaParityTests allows these two.
DROP INDEX ix_trade_record_partner_year;
CREATE INDEX ix_trade_record_partner_year ON trade_record(partner, year, id);
DROP INDEX ix_trade_record_source;
CREATE INDEX ix_trade_record_source ON trade_record(source_id, id);
