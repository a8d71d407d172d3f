-- Indexes found missing by the 1,000,000-row benchmark (tests/BilateralApi.Benchmarks, docs/performance.md).
--
-- GET /v1/trade-records?sort=-valueUsd&filter=flow eq 'X' (any sort on valueUsd with a flow filter):
-- the planner used ix_trade_record_flow (flow, id) and sorted the ~500,000 rows of one flow in a temp
-- B-tree for every page (~250-350 ms a page, at any depth). With (flow, value_usd_cents, id) the page is
-- a covering index range read in sort order, the keyset cursor seeks into it, and a page costs a few ms.
-- ix_trade_record_flow stays: it serves flow filters in the default (id) order.
CREATE INDEX IF NOT EXISTS ix_trade_record_flow_value ON trade_record(flow, value_usd_cents, id);

-- GET /v1/trade-records?reporter=X&sort=-year (and reporter=X&year=Y&flow=F in id order, the benchmark's
-- filtered page): no index starts with (reporter, year), so for a large reporter (~70,000 rows in the
-- benchmark) the planner read all its rows through ix_trade_record_reporter_flow_hs_year and sorted them
-- (~250 ms a page; 16 req/s with a 4 s p99 under load for the filtered page). (reporter, year, id) gives
-- the rows in sort order, and reporter=&year= rows in id order.
CREATE INDEX IF NOT EXISTS ix_trade_record_reporter_year ON trade_record(reporter, year, id);
