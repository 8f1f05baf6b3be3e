-- Sources read from other formats than plain text (web pages, PDFs, office
-- files, data tables, captions): the format they were read from and their
-- author, as `copydesk sources` lists them.
ALTER TABLE copydesk_sources
    ADD COLUMN format text NOT NULL DEFAULT 'text',
    ADD COLUMN author text;
