-- The reference areas of trade statistics that are not countries (SQLite migration 0010; decision 0028):
-- rows of the country table flagged is_country = 0, as World is. Loaded after the reference data (0002).
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
