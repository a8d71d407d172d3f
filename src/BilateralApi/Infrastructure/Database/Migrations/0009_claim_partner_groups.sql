-- A claim about a group of partners stated combined ("Kazakhstan and Azerbaijan"): comma-separated alpha-3
-- codes in the source's order, with partner NULL, so that no member's filter returns the group's figure.
ALTER TABLE claim ADD COLUMN partners TEXT NULL;
