-- copydesk archive, schema version 1: sources with their texts, sentence
-- records, and the two retrieval tables of the embedded index (postings by
-- term key, figures by value key) with their counts kept beside them, so a
-- check's queries are index lookups whatever the archive's size.
-- Keys are copydesk's 64-bit hashes stored as bigint (same bits).

-- Id allocation and the live sentence count. Its one row is locked by each
-- file's ingest transaction, which orders concurrent ingesters; readers never
-- wait for it (MVCC).
CREATE TABLE copydesk_counters (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    next_source bigint NOT NULL,
    next_sentence bigint NOT NULL,
    sentences bigint NOT NULL
);
INSERT INTO copydesk_counters VALUES (true, 0, 0, 0);

CREATE TABLE copydesk_sources (
    id bigint PRIMARY KEY,
    path text NOT NULL UNIQUE,
    key text NOT NULL UNIQUE,
    title text NOT NULL,
    date text,
    url text,
    publisher text,
    size bigint NOT NULL,
    mtime bigint NOT NULL,
    hash bigint NOT NULL,
    -- This source's sentences have ids sent_start .. sent_end - 1.
    sent_start bigint NOT NULL,
    sent_end bigint NOT NULL,
    -- Figures in its sentences (for listings).
    figures integer NOT NULL,
    body text NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE copydesk_sentences (
    id bigint PRIMARY KEY,
    source bigint NOT NULL,
    -- The sentence record (terms, figures, keys), postcard-encoded.
    rec bytea NOT NULL
);
CREATE INDEX copydesk_sentences_source ON copydesk_sentences (source);

CREATE TABLE copydesk_postings (
    term bigint NOT NULL,
    sentence bigint NOT NULL,
    source bigint NOT NULL,
    PRIMARY KEY (term, sentence)
);
CREATE INDEX copydesk_postings_source ON copydesk_postings (source);

CREATE TABLE copydesk_term_df (
    term bigint PRIMARY KEY,
    df bigint NOT NULL
);

CREATE TABLE copydesk_values (
    value bigint NOT NULL,
    sentence bigint NOT NULL,
    figure integer NOT NULL,
    source bigint NOT NULL,
    PRIMARY KEY (value, sentence, figure)
);
CREATE INDEX copydesk_values_source ON copydesk_values (source);

CREATE TABLE copydesk_value_count (
    value bigint PRIMARY KEY,
    n bigint NOT NULL
);
