-- The code-list entries the claims' editorial rules added to data/reference/codelists.csv (decision 0025):
-- a database created before them gets them here, in the CSV's order; reference data loads from the CSV
-- only into a new database (0002), so later additions ship as migrations. On a new database, which
-- has them from 0002 already, every statement below changes nothing.
-- The bounds are read once, before any ordinal moves (a subquery in an UPDATE may see rows it has changed).
CREATE TEMP TABLE claim_code_list_bounds AS
SELECT (SELECT ordinal FROM code_list_entry WHERE list = 'claimIndicator' AND parent = '' AND code = 'supplierRank') AS supplier_rank,
       (SELECT ordinal FROM code_list_entry WHERE list = 'claimUnit' AND parent = '' AND code = 'rank') AS unit_rank,
       EXISTS (SELECT 1 FROM code_list_entry WHERE list = 'claimIndicator' AND parent = '' AND code = 'destinationRank') AS present;
UPDATE code_list_entry SET ordinal = ordinal + 6
WHERE ordinal > (SELECT unit_rank FROM claim_code_list_bounds) AND NOT (SELECT present FROM claim_code_list_bounds);
UPDATE code_list_entry SET ordinal = ordinal + 5
WHERE ordinal > (SELECT supplier_rank FROM claim_code_list_bounds) AND ordinal <= (SELECT unit_rank FROM claim_code_list_bounds)
  AND NOT (SELECT present FROM claim_code_list_bounds);
DROP TABLE claim_code_list_bounds;
INSERT OR IGNORE INTO code_list_entry (list, code, parent, label, description, ordinal)
SELECT 'claimIndicator', v.code, '', v.label, v.description, s.ordinal + v.n
FROM (SELECT ordinal FROM code_list_entry WHERE list = 'claimIndicator' AND parent = '' AND code = 'supplierRank') AS s,
     (SELECT 1 AS n, 'destinationRank' AS code, 'Destination rank' AS label, 'The partner''s rank among the reporter''s export destinations (buyers) of a commodity.' AS description
      UNION ALL SELECT 2, 'importDependence', 'Import dependence', 'Imports from all partners as a share of the reporter''s supply or consumption of a commodity.'
      UNION ALL SELECT 3, 'consumption', 'Consumption', 'The reporter''s own consumption (demand) of a commodity, from all sources.'
      UNION ALL SELECT 4, 'supplyShare', 'Supply share', 'The partner''s share of the reporter''s consumption or needs of a commodity, supplied through the reporter''s imports.'
      UNION ALL SELECT 5, 'routeShare', 'Route share', 'The partner''s share, by origin, of the goods carried through a route (a pipeline or port) that the claim names.') AS v;
INSERT OR IGNORE INTO code_list_entry (list, code, parent, label, description, ordinal)
SELECT 'claimUnit', 'barrelsPerDay', '', 'Barrels per day',
       'A rate in barrels (of oil) per day, which the trade records (US dollars, kilograms) cannot be compared with.', ordinal + 1
FROM code_list_entry WHERE list = 'claimUnit' AND parent = '' AND code = 'rank';
