-- Query language (issue 3): full-text search tables kept in sync by triggers, and indexes for the
-- advertised filters and sorts. See docs/querying.md ("What index serves what").

-- FTS5 tables over the text of the curated records. Each stores its record id (UNINDEXED) rather
-- than sharing rowids with the record table: these tables have TEXT primary keys, and VACUUM may
-- renumber their rowids, which would silently break an external-content link.
CREATE VIRTUAL TABLE agreement_fts USING fts5(id UNINDEXED, title, shortTitle, summary, place, notes, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE event_fts USING fts5(id UNINDEXED, title, summary, place, notes, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE source_fts USING fts5(id UNINDEXED, title, author, publisher, notes, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE claim_fts USING fts5(id UNINDEXED, text, notes, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO agreement_fts (id, title, shortTitle, summary, place, notes) SELECT id, title, short_title, summary, place, notes FROM agreement;
INSERT INTO event_fts (id, title, summary, place, notes) SELECT id, title, summary, location_place, notes FROM event;
INSERT INTO source_fts (id, title, author, publisher, notes) SELECT id, title, author, publisher, notes FROM source;
INSERT INTO claim_fts (id, text, notes) SELECT id, text, notes FROM claim;

CREATE TRIGGER agreement_fts_insert AFTER INSERT ON agreement BEGIN
    INSERT INTO agreement_fts (id, title, shortTitle, summary, place, notes) VALUES (new.id, new.title, new.short_title, new.summary, new.place, new.notes);
END;
CREATE TRIGGER agreement_fts_update AFTER UPDATE ON agreement BEGIN
    DELETE FROM agreement_fts WHERE id = old.id;
    INSERT INTO agreement_fts (id, title, shortTitle, summary, place, notes) VALUES (new.id, new.title, new.short_title, new.summary, new.place, new.notes);
END;
CREATE TRIGGER agreement_fts_delete AFTER DELETE ON agreement BEGIN
    DELETE FROM agreement_fts WHERE id = old.id;
END;

CREATE TRIGGER event_fts_insert AFTER INSERT ON event BEGIN
    INSERT INTO event_fts (id, title, summary, place, notes) VALUES (new.id, new.title, new.summary, new.location_place, new.notes);
END;
CREATE TRIGGER event_fts_update AFTER UPDATE ON event BEGIN
    DELETE FROM event_fts WHERE id = old.id;
    INSERT INTO event_fts (id, title, summary, place, notes) VALUES (new.id, new.title, new.summary, new.location_place, new.notes);
END;
CREATE TRIGGER event_fts_delete AFTER DELETE ON event BEGIN
    DELETE FROM event_fts WHERE id = old.id;
END;

CREATE TRIGGER source_fts_insert AFTER INSERT ON source BEGIN
    INSERT INTO source_fts (id, title, author, publisher, notes) VALUES (new.id, new.title, new.author, new.publisher, new.notes);
END;
CREATE TRIGGER source_fts_update AFTER UPDATE ON source BEGIN
    DELETE FROM source_fts WHERE id = old.id;
    INSERT INTO source_fts (id, title, author, publisher, notes) VALUES (new.id, new.title, new.author, new.publisher, new.notes);
END;
CREATE TRIGGER source_fts_delete AFTER DELETE ON source BEGIN
    DELETE FROM source_fts WHERE id = old.id;
END;

CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN
    INSERT INTO claim_fts (id, text, notes) VALUES (new.id, new.text, new.notes);
END;
CREATE TRIGGER claim_fts_update AFTER UPDATE ON claim BEGIN
    DELETE FROM claim_fts WHERE id = old.id;
    INSERT INTO claim_fts (id, text, notes) VALUES (new.id, new.text, new.notes);
END;
CREATE TRIGGER claim_fts_delete AFTER DELETE ON claim BEGIN
    DELETE FROM claim_fts WHERE id = old.id;
END;

-- Sorts and filters: (key, id) so that ORDER BY key, id and the keyset seek on key are index walks.
CREATE INDEX ix_trade_record_value ON trade_record(value_usd_cents, id);
CREATE INDEX ix_trade_record_weight ON trade_record(net_weight_kg, id);
CREATE INDEX ix_trade_record_reporter_id ON trade_record(reporter, id);
CREATE INDEX ix_trade_record_partner_id ON trade_record(partner, id);
CREATE INDEX ix_trade_record_flow ON trade_record(flow, id);
CREATE INDEX ix_trade_record_year_month ON trade_record(year, month, id);
CREATE INDEX ix_trade_record_updated ON trade_record(updated_at, id);

CREATE INDEX ix_event_intensity ON event(intensity, id);
CREATE INDEX ix_event_verification ON event(verification, id);
CREATE INDEX ix_event_location_country ON event(location_country, id);
CREATE INDEX ix_event_title ON event(title, id);
CREATE INDEX ix_event_updated ON event(updated_at, id);
CREATE INDEX ix_event_context_context ON event_context(context, event_id);

CREATE INDEX ix_agreement_title ON agreement(title, id);
CREATE INDEX ix_agreement_signed_id ON agreement(signed_start, id);
CREATE INDEX ix_agreement_in_force ON agreement(in_force_start, id);
CREATE INDEX ix_agreement_updated ON agreement(updated_at, id);

CREATE INDEX ix_claim_flow ON claim(flow, id);
CREATE INDEX ix_claim_hs ON claim(hs, id);
CREATE INDEX ix_claim_period ON claim(period_start, id);
CREATE INDEX ix_claim_updated ON claim(updated_at, id);

CREATE INDEX ix_source_published ON source(published_on, id);
CREATE INDEX ix_source_reliability ON source(reliability, id);
CREATE INDEX ix_source_publisher ON source(publisher, id);
CREATE INDEX ix_source_updated ON source(updated_at, id);
