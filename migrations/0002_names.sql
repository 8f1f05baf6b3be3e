-- copydesk archive, schema version 2: the corpus's names, for misspelt-name
-- checks at any archive size. A draft's name words are looked up through a
-- deletion table (every name word under itself and under each of its
-- one-letter deletions), which finds every word within one edit exactly with
-- B-tree lookups, then the names holding those words through a GIN index.

-- Names each source uses, in text order.
CREATE TABLE copydesk_names (
    source bigint NOT NULL,
    ord integer NOT NULL,
    display text NOT NULL,
    words text[] NOT NULL,
    PRIMARY KEY (source, ord)
);
CREATE INDEX copydesk_names_words ON copydesk_names USING gin (words);

-- Name words by themselves and by their one-letter deletions. Kept when a
-- source goes (a stale word only leads to a lookup that finds no name).
CREATE TABLE copydesk_name_deletes (
    del text NOT NULL,
    word text NOT NULL,
    PRIMARY KEY (del, word)
);

-- Every capitalised spelling the corpus has (lowercase). Kept when a source
-- goes, as the embedded name index keeps them: a stale spelling can only keep
-- a flag from firing.
CREATE TABLE copydesk_known_words (
    word text PRIMARY KEY
);
