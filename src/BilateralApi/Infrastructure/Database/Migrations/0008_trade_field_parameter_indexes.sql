-- Every field of the trade-record list has a query parameter since decision 0017 (quantity=,
-- quantityUnit=, createdAt=, …), and the trade table is the one that grows to millions of rows: the
-- three of its fields no index served get one, so that no advertised trade filter scans the table.
-- (The curated tables — agreements, events, sources, claims — hold thousands of rows at most; their
-- free-text and rarely filtered fields are read by a scan, docs/querying.md "What index serves what".)
CREATE INDEX IF NOT EXISTS ix_trade_record_quantity ON trade_record(quantity, id);
CREATE INDEX IF NOT EXISTS ix_trade_record_quantity_unit ON trade_record(quantity_unit, id);
CREATE INDEX IF NOT EXISTS ix_trade_record_created ON trade_record(created_at, id);
