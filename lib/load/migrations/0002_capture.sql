-- Version 2: every change captured, deletes recorded (issue 10; design.md section 5). Moves an existing warehouse
-- forward in place.
--   * facts: one row per distinct content a source row had when captured, so a correction that kept the same
--     last_updated is a new row: the unique (id, last_updated) keys go; an index on (id, record id) finds a key's
--     latest version; record ids are assigned by the load in run order (max + row number), not by a sequence, so
--     a crash and rerun, a rebuild and a clean run give the same ids;
--   * facts: source_run_id, the run that captured the version, so a run replayed after a later one (its load-log
--     row removed by hand, say) adds nothing for the keys the later run already carried (NULL: loaded before);
--   * fact_deletion: a source row deleted in ToteSys, when it was detected, and the last version it had then;
--   * dimensions: deleted_at, set when the source row was deleted (the row stays: facts may reference it);
--   * views fact_*_current: one row per live source row, its latest version.

ALTER TABLE fact_sales_order DROP CONSTRAINT fact_sales_order_version_key;
ALTER TABLE fact_purchase_order DROP CONSTRAINT fact_purchase_order_version_key;
ALTER TABLE fact_payment DROP CONSTRAINT fact_payment_version_key;
ALTER TABLE fact_sales_order ADD COLUMN source_run_id text;
ALTER TABLE fact_purchase_order ADD COLUMN source_run_id text;
ALTER TABLE fact_payment ADD COLUMN source_run_id text;
COMMENT ON COLUMN fact_sales_order.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON COLUMN fact_purchase_order.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON COLUMN fact_payment.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
CREATE INDEX fact_sales_order_latest ON fact_sales_order (sales_order_id, sales_record_id);
CREATE INDEX fact_purchase_order_latest ON fact_purchase_order (purchase_order_id, purchase_record_id);
CREATE INDEX fact_payment_latest ON fact_payment (payment_id, payment_record_id);

CREATE TABLE fact_deletion (
  fact_table text NOT NULL CHECK (fact_table IN ('fact_sales_order', 'fact_purchase_order', 'fact_payment')),
  natural_id int NOT NULL,
  last_record_id int NOT NULL,
  detected_at timestamp(6) NOT NULL,
  run_id text NOT NULL,
  PRIMARY KEY (fact_table, natural_id, last_record_id)
);
COMMENT ON TABLE fact_deletion IS 'Source rows deleted in ToteSys: the fact, the natural id, the latest fact version (record id) it had when the deletion was detected, when (ToteSys clock, UTC) and by which run. A later version (re-insert) makes the row current again.';

ALTER TABLE dim_location ADD COLUMN deleted_at timestamp(6);
ALTER TABLE dim_currency ADD COLUMN deleted_at timestamp(6);
ALTER TABLE dim_design ADD COLUMN deleted_at timestamp(6);
ALTER TABLE dim_payment_type ADD COLUMN deleted_at timestamp(6);
ALTER TABLE dim_staff ADD COLUMN deleted_at timestamp(6);
ALTER TABLE dim_counterparty ADD COLUMN deleted_at timestamp(6);
ALTER TABLE dim_transaction ADD COLUMN deleted_at timestamp(6);
COMMENT ON COLUMN dim_location.deleted_at IS 'When the source address was found deleted in ToteSys (UTC); NULL while it exists.';
COMMENT ON COLUMN dim_currency.deleted_at IS 'When the source currency was found deleted in ToteSys (UTC); NULL while it exists.';
COMMENT ON COLUMN dim_design.deleted_at IS 'When the source design was found deleted in ToteSys (UTC); NULL while it exists.';
COMMENT ON COLUMN dim_payment_type.deleted_at IS 'When the source payment type was found deleted in ToteSys (UTC); NULL while it exists.';
COMMENT ON COLUMN dim_staff.deleted_at IS 'When the source staff row was found deleted in ToteSys (UTC); NULL while it exists.';
COMMENT ON COLUMN dim_counterparty.deleted_at IS 'When the source counterparty was found deleted in ToteSys (UTC); NULL while it exists.';
COMMENT ON COLUMN dim_transaction.deleted_at IS 'When the source transaction was found deleted in ToteSys (UTC); NULL while it exists.';

CREATE VIEW fact_sales_order_current AS
SELECT f.* FROM (
  SELECT DISTINCT ON (sales_order_id) * FROM fact_sales_order ORDER BY sales_order_id, sales_record_id DESC
) f
WHERE NOT EXISTS (
  SELECT 1 FROM fact_deletion d
  WHERE d.fact_table = 'fact_sales_order' AND d.natural_id = f.sales_order_id AND d.last_record_id >= f.sales_record_id
);
COMMENT ON VIEW fact_sales_order_current IS 'Current state of every live ToteSys sales order: its latest captured version; deleted orders left out.';

CREATE VIEW fact_purchase_order_current AS
SELECT f.* FROM (
  SELECT DISTINCT ON (purchase_order_id) * FROM fact_purchase_order ORDER BY purchase_order_id, purchase_record_id DESC
) f
WHERE NOT EXISTS (
  SELECT 1 FROM fact_deletion d
  WHERE d.fact_table = 'fact_purchase_order' AND d.natural_id = f.purchase_order_id AND d.last_record_id >= f.purchase_record_id
);
COMMENT ON VIEW fact_purchase_order_current IS 'Current state of every live ToteSys purchase order: its latest captured version; deleted orders left out.';

CREATE VIEW fact_payment_current AS
SELECT f.* FROM (
  SELECT DISTINCT ON (payment_id) * FROM fact_payment ORDER BY payment_id, payment_record_id DESC
) f
WHERE NOT EXISTS (
  SELECT 1 FROM fact_deletion d
  WHERE d.fact_table = 'fact_payment' AND d.natural_id = f.payment_id AND d.last_record_id >= f.payment_record_id
);
COMMENT ON VIEW fact_payment_current IS 'Current state of every live ToteSys payment: its latest captured version; deleted payments left out.';
