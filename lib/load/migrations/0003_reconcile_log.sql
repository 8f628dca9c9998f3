-- Migration 3: reconcile_log, one row per `etl reconcile` (issue 12: `etl status` shows the last result).
-- (Its column comments are in migration 4, generated from lib/contract/dictionary.ts.)
CREATE TABLE reconcile_log (
  reconcile_id bigserial PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('equal', 'different', 'failed')),
  differences int NOT NULL DEFAULT 0,
  -- per compared table: {"table", "source_rows", "warehouse_rows", "differences", "keys": first differing keys}
  tables jsonb NOT NULL DEFAULT '[]',
  error text
);
COMMENT ON TABLE reconcile_log IS 'One row per etl reconcile: outcome, differing keys per table (first 20), error.';

-- etl_rebuild: which processed location a rebuild is filling this warehouse from (issue 11), so that a rebuild
-- refuses a warehouse it did not start (a live one) and resumes the one it did.
CREATE TABLE etl_rebuild (
  processed_location text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now()
);
