-- copydesk archive, schema version 5: postings and value facts stored as
-- arrays, one row per key per ingest batch, instead of one row per
-- (key, sentence). A row of three bigints cost some 100 bytes with its tuple
-- header and two B-tree entries, which put 17 MB of text at 294 MB; a batch's
-- sentences for a key in one int4 array cost 4 bytes each.
--
-- `block` is the first sentence id of the ingest batch that wrote the row:
-- every sentence of a row lies in [block, next batch's block), so rows in
-- block order hold a key's sentences in id order (the postings' head is the
-- first few rows). A source records its block, so removing it rewrites only
-- the rows of its keys in its block. Sentence ids are stored as int4 with
-- their u32 bits.

ALTER TABLE copydesk_sources ADD COLUMN block bigint NOT NULL DEFAULT 0;

CREATE TABLE copydesk_postings_v5 (
    term bigint NOT NULL,
    block bigint NOT NULL,
    sentences int4[] NOT NULL,
    PRIMARY KEY (term, block)
);
INSERT INTO copydesk_postings_v5 (term, block, sentences)
    SELECT term, 0, array_agg((sentence - CASE WHEN sentence >= 2147483648 THEN 4294967296 ELSE 0 END)::int4 ORDER BY sentence)
    FROM copydesk_postings GROUP BY term;
DROP TABLE copydesk_postings;
ALTER TABLE copydesk_postings_v5 RENAME TO copydesk_postings;
ALTER INDEX copydesk_postings_v5_pkey RENAME TO copydesk_postings_pkey;

-- A value's facts as sentence * 65536 + figure.
CREATE TABLE copydesk_values_v5 (
    value bigint NOT NULL,
    block bigint NOT NULL,
    refs int8[] NOT NULL,
    PRIMARY KEY (value, block)
);
INSERT INTO copydesk_values_v5 (value, block, refs)
    SELECT value, 0, array_agg(sentence * 65536 + figure ORDER BY sentence, figure)
    FROM copydesk_values GROUP BY value;
DROP TABLE copydesk_values;
ALTER TABLE copydesk_values_v5 RENAME TO copydesk_values;
ALTER INDEX copydesk_values_v5_pkey RENAME TO copydesk_values_pkey;

-- A source's sentences are the id range sent_start .. sent_end - 1 of the
-- primary key; no query needs them by source.
DROP INDEX copydesk_sentences_source;
