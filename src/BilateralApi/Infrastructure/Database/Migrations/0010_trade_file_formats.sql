-- Real trade files (issue 10, docs/decisions/0028-trade-file-schema.md).
--
-- Reference areas: UN Comtrade (and CEPII BACI, which uses Comtrade's codes) report trade with areas
-- that are not ISO 3166 countries: "Other Asia, nes", "Areas, nes", bunkers, free zones, ... They are
-- rows of the country table, so that trade records can name them and every code resolves in one
-- place, flagged is_country = 0 (as World is: WLD is not a country either). The code is the one
-- Comtrade and BACI give (S19) where there is one, else X + Comtrade's numeric code; numeric holds
-- Comtrade's code, so files that give only the number resolve too. Names as UN Comtrade's partner list
-- (partnerAreas.json) spells them. 492 "Europe EU, nes" is left out: ISO gives 492 to Monaco.
ALTER TABLE country ADD COLUMN is_country INTEGER NOT NULL DEFAULT 1;
UPDATE country SET is_country = 0 WHERE alpha3 = 'WLD';
INSERT INTO country (alpha3, alpha2, numeric, name, official_name, historical, is_country) VALUES
    ('S19', NULL, '490', 'Other Asia, nes', 'Other Asia, not elsewhere specified', 0, 0),
    ('X129', NULL, '129', 'Caribbean, nes', 'Caribbean, not elsewhere specified', 0, 0),
    ('X221', NULL, '221', 'Eastern Europe, nes', 'Eastern Europe, not elsewhere specified', 0, 0),
    ('X290', NULL, '290', 'Northern Africa, nes', 'Northern Africa, not elsewhere specified', 0, 0),
    ('X471', NULL, '471', 'CACM, nes', 'Central American Common Market, not elsewhere specified', 0, 0),
    ('X472', NULL, '472', 'Africa CAMEU region, nes', 'Africa CAMEU region, not elsewhere specified', 0, 0),
    ('X473', NULL, '473', 'LAIA, nes', 'Latin American Integration Association, not elsewhere specified', 0, 0),
    ('X527', NULL, '527', 'Oceania, nes', 'Oceania, not elsewhere specified', 0, 0),
    ('X532', NULL, '532', 'Neth. Antilles and Aruba', 'Netherlands Antilles and Aruba', 0, 0),
    ('X536', NULL, '536', 'Neutral Zone', 'Neutral Zone', 0, 0),
    ('X568', NULL, '568', 'Other Europe, nes', 'Other Europe, not elsewhere specified', 0, 0),
    ('X577', NULL, '577', 'Other Africa, nes', 'Other Africa, not elsewhere specified', 0, 0),
    ('X636', NULL, '636', 'Rest of America, nes', 'Rest of America, not elsewhere specified', 0, 0),
    ('X637', NULL, '637', 'North America and Central America, nes', 'North America and Central America, not elsewhere specified', 0, 0),
    ('X697', NULL, '697', 'Europe EFTA, nes', 'Europe EFTA, not elsewhere specified', 0, 0),
    ('X711', NULL, '711', 'So. African Customs Union', 'Southern African Customs Union', 0, 0),
    ('X837', NULL, '837', 'Bunkers', 'Bunkers (ship and aircraft supplies)', 0, 0),
    ('X838', NULL, '838', 'Free Zones', 'Free zones', 0, 0),
    ('X839', NULL, '839', 'Special Categories', 'Special categories (trade not attributed to a partner)', 0, 0),
    ('X849', NULL, '849', 'US Misc. Pacific Isds', 'United States Miscellaneous Pacific Islands', 0, 0),
    ('X879', NULL, '879', 'Western Asia, nes', 'Western Asia, not elsewhere specified', 0, 0),
    ('X899', NULL, '899', 'Areas, nes', 'Areas, not elsewhere specified', 0, 0);

-- Commodity codes keep their classification (HS revisions H0..H6 or HS unspecified, SITC S1..S4, ...),
-- and a record is either a country's own report or a reconciled figure (CEPII BACI), which is
-- neither partner's report. Both are part of the natural key: SITC 27 is not HS 27, and BACI's
-- France-to-Germany flow must not overwrite France's reported exports to Germany. Existing rows are
-- HS as reported, which the defaults say. The key keeps its old columns first, so lookups by the
-- old key (analytics, the import) still seek on the index.
ALTER TABLE trade_record ADD COLUMN classification TEXT NOT NULL DEFAULT 'HS';
ALTER TABLE trade_record ADD COLUMN origin TEXT NOT NULL DEFAULT 'reported';
DROP INDEX ux_trade_record_key;
CREATE UNIQUE INDEX ux_trade_record_key ON trade_record(reporter, partner, year, COALESCE(month, 0), flow, hs, transport_mode, classification, origin);
