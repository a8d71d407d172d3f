-- Indexes found missing by the 1,000,000-row benchmark (tests/BilateralApi.Benchmarks, docs/performance.md).
--
-- GET /v1/trade-records?sort=-valueUsd&filter=flow eq 'X' (any sort on valueUsd with a flow filter):
-- the planner used ix_trade_record_flow (flow, id) and sorted the ~500,000 rows of one flow in a temp
-- B-tree for every page (~250-350 ms a page, at any depth). With (flow, value_usd_cents, id) the page is
-- a covering index range read in sort order, the keyset cursor seeks into it, and a page costs a few ms.
-- ix_trade_record_flow stays: it serves flow filters in the default (id) order.
CREATE INDEX IF NOT EXISTS ix_trade_record_flow_value ON trade_record(flow, value_usd_cents, id);
