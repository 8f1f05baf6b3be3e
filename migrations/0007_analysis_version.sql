-- copydesk archive, schema version 7: what analysed each source. A sentence
-- record is encoded in the layout of the copydesk that wrote it (the
-- embedded index's FORMAT) from the rules it ran with (their fingerprint):
-- a newer copydesk cannot decode an older layout, and other rules give other
-- figures and keys. `copydesk index` re-analyses a source whose layout or
-- rules differ from its own, though the file is unchanged; `copydesk check`
-- refuses an archive holding records of another layout. Sources ingested
-- before this version read 0 and are re-analysed on the next ingest.

ALTER TABLE copydesk_sources ADD COLUMN record_format integer NOT NULL DEFAULT 0;
ALTER TABLE copydesk_sources ADD COLUMN rules bigint NOT NULL DEFAULT 0;
CREATE INDEX copydesk_sources_record_format ON copydesk_sources (record_format);
