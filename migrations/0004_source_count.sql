-- The live source count beside the live sentence count, so a check learns
-- how many sources it was checked against without counting the archive's rows.
ALTER TABLE copydesk_counters ADD COLUMN sources bigint NOT NULL DEFAULT 0;
UPDATE copydesk_counters SET sources = (SELECT count(*) FROM copydesk_sources);
