-- Analytics (issue 4, docs/decisions/0012-analytics.md).
-- Pair-and-flow trade figures (balance, mirror, top commodities, the dyad's trade, claim checks) filter on
-- reporter, partner, flow and an exact HS code or level over a year range; ix_trade_record_pair_year alone
-- would visit every row of the pair, all commodities and flows included.
CREATE INDEX ix_trade_record_pair_flow_hs_year ON trade_record(reporter, partner, flow, hs, year);
