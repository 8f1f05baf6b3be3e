-- copydesk archive, schema version 6: each name spelling once, so a check's
-- names query reads one row per spelling instead of every use of it. The
-- query for the names holding a draft's word ran over every (source, name)
-- row holding it (94,158 rows and 1.2 s at 100,000 sources, ten times that
-- at 1,000,000), then grouped them by spelling; it now finds the spellings
-- through a GIN index on this table and reads each one's first sources from
-- a B-tree on copydesk_names (display, source, ord), at most ten rows each,
-- whatever the archive's size.
--
-- A spelling is kept when its last source goes, as name words and known
-- spellings are (a stale spelling finds no source and is skipped).

CREATE TABLE copydesk_name_spellings (
    display text PRIMARY KEY,
    words text[] NOT NULL
);
INSERT INTO copydesk_name_spellings (display, words)
    SELECT display, min(words) FROM copydesk_names GROUP BY display;
CREATE INDEX copydesk_name_spellings_words ON copydesk_name_spellings USING gin (words);

CREATE INDEX copydesk_names_display ON copydesk_names (display, source, ord);
-- Names were found by word through this index only.
DROP INDEX copydesk_names_words;
