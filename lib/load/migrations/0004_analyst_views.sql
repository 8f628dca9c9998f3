-- Version 3: views for analysts over the current state of the facts (issue 14), and a description on every table,
-- view and column.
--   * every view reads the fact_*_current views: one row per live ToteSys row, its latest version;
--   * money is summed per currency and never across currencies (ToteSys holds no exchange rates): every view with
--     an amount has currency_code among its grouping columns;
--   * months are the first day of the month (date), from the order's created_date or the payment's payment_date;
--   * the COMMENT statements at the end are generated from the contract (lib/contract/warehouse.ts and
--     lib/contract/dictionary.ts) by `deno task docs`; tests/load/dictionary_test.ts checks the migrated catalog
--     against the contract. A later change of a description goes into a later migration.

CREATE VIEW sales_by_month_currency AS
SELECT date_trunc('month', s.created_date::timestamp)::date AS month,
       c.currency_code,
       count(*) AS orders,
       sum(s.units_sold) AS units_sold,
       sum(s.units_sold * s.unit_price) AS revenue
FROM fact_sales_order_current s
JOIN dim_currency c ON c.currency_id = s.currency_id
GROUP BY 1, 2;

CREATE VIEW sales_by_design AS
SELECT d.design_id,
       d.design_name,
       c.currency_code,
       count(s.sales_order_id) AS orders,
       coalesce(sum(s.units_sold), 0) AS units_sold,
       sum(s.units_sold * s.unit_price) AS revenue
FROM dim_design d
LEFT JOIN fact_sales_order_current s ON s.design_id = d.design_id
LEFT JOIN dim_currency c ON c.currency_id = s.currency_id
WHERE d.deleted_at IS NULL OR s.sales_order_id IS NOT NULL
GROUP BY d.design_id, d.design_name, c.currency_code;

CREATE VIEW sales_by_delivery_location AS
SELECT l.country,
       l.city,
       c.currency_code,
       count(*) AS orders,
       sum(s.units_sold) AS units_sold,
       sum(s.units_sold * s.unit_price) AS revenue
FROM fact_sales_order_current s
JOIN dim_location l ON l.location_id = s.agreed_delivery_location_id
JOIN dim_currency c ON c.currency_id = s.currency_id
GROUP BY l.country, l.city, c.currency_code;

CREATE VIEW sales_by_staff AS
SELECT st.staff_id,
       st.first_name,
       st.last_name,
       st.department_name,
       c.currency_code,
       count(*) AS orders,
       sum(s.units_sold) AS units_sold,
       sum(s.units_sold * s.unit_price) AS revenue
FROM fact_sales_order_current s
JOIN dim_staff st ON st.staff_id = s.sales_staff_id
JOIN dim_currency c ON c.currency_id = s.currency_id
GROUP BY st.staff_id, st.first_name, st.last_name, st.department_name, c.currency_code;

CREATE VIEW sales_by_department AS
SELECT st.department_name,
       c.currency_code,
       count(*) AS orders,
       sum(s.units_sold) AS units_sold,
       sum(s.units_sold * s.unit_price) AS revenue
FROM fact_sales_order_current s
JOIN dim_staff st ON st.staff_id = s.sales_staff_id
JOIN dim_currency c ON c.currency_id = s.currency_id
GROUP BY st.department_name, c.currency_code;

CREATE VIEW purchases_by_counterparty AS
SELECT cp.counterparty_id,
       cp.counterparty_legal_name,
       c.currency_code,
       count(*) AS orders,
       sum(p.item_quantity) AS item_quantity,
       sum(p.item_quantity * p.item_unit_price) AS amount
FROM fact_purchase_order_current p
JOIN dim_counterparty cp ON cp.counterparty_id = p.counterparty_id
JOIN dim_currency c ON c.currency_id = p.currency_id
GROUP BY cp.counterparty_id, cp.counterparty_legal_name, c.currency_code;

CREATE VIEW payments_by_month AS
SELECT date_trunc('month', p.payment_date::timestamp)::date AS month,
       c.currency_code,
       pt.payment_type_name,
       p.paid,
       count(*) AS payments,
       sum(p.payment_amount) AS amount
FROM fact_payment_current p
JOIN dim_currency c ON c.currency_id = p.currency_id
JOIN dim_payment_type pt ON pt.payment_type_id = p.payment_type_id
GROUP BY 1, 2, 3, 4;

CREATE VIEW warehouse_freshness AS
SELECT 'dim_location'::text AS table_name, count(*) AS row_count, max(source_last_updated) AS newest_change FROM dim_location
UNION ALL SELECT 'dim_currency', count(*), max(source_last_updated) FROM dim_currency
UNION ALL SELECT 'dim_design', count(*), max(source_last_updated) FROM dim_design
UNION ALL SELECT 'dim_payment_type', count(*), max(source_last_updated) FROM dim_payment_type
UNION ALL SELECT 'dim_staff', count(*), max(source_last_updated) FROM dim_staff
UNION ALL SELECT 'dim_counterparty', count(*), max(source_last_updated) FROM dim_counterparty
UNION ALL SELECT 'dim_transaction', count(*), max(source_last_updated) FROM dim_transaction
UNION ALL SELECT 'fact_sales_order', count(*), max(last_updated_date + last_updated_time) FROM fact_sales_order
UNION ALL SELECT 'fact_purchase_order', count(*), max(last_updated_date + last_updated_time) FROM fact_purchase_order
UNION ALL SELECT 'fact_payment', count(*), max(last_updated_date + last_updated_time) FROM fact_payment;

-- BEGIN GENERATED COMMENTS (deno task docs)
COMMENT ON TABLE dim_date IS 'One row per calendar day: a contiguous calendar in whole years covering every date a fact references (agreed dates in the future included).';
COMMENT ON COLUMN dim_date.date_id IS 'The day (primary key); every date column of the facts references it.';
COMMENT ON COLUMN dim_date.year IS 'Calendar year, e.g. 2024.';
COMMENT ON COLUMN dim_date.month IS 'Month number 1..12.';
COMMENT ON COLUMN dim_date.day IS 'Day of the month 1..31.';
COMMENT ON COLUMN dim_date.day_of_week IS 'ISO 8601: 1 = Monday .. 7 = Sunday.';
COMMENT ON COLUMN dim_date.day_name IS 'English day name, unpadded: Monday .. Sunday.';
COMMENT ON COLUMN dim_date.month_name IS 'English month name, unpadded: January .. December.';
COMMENT ON COLUMN dim_date.quarter IS 'Calendar quarter 1..4 (January-March = 1).';
COMMENT ON TABLE dim_location IS 'One row per ToteSys address (delivery locations of sales and purchase orders), with its latest values.';
COMMENT ON COLUMN dim_location.location_id IS 'ToteSys address_id (primary key).';
COMMENT ON COLUMN dim_location.address_line_1 IS 'First address line.';
COMMENT ON COLUMN dim_location.address_line_2 IS 'Second address line, if any.';
COMMENT ON COLUMN dim_location.district IS 'District, if any.';
COMMENT ON COLUMN dim_location.city IS 'City.';
COMMENT ON COLUMN dim_location.postal_code IS 'Postal code.';
COMMENT ON COLUMN dim_location.country IS 'Country name as written in ToteSys.';
COMMENT ON COLUMN dim_location.phone IS 'Telephone number of the address.';
COMMENT ON COLUMN dim_location.source_last_updated IS 'ToteSys last_updated of the address this row was built from (UTC); keeps runs loaded out of order from regressing the row.';
COMMENT ON COLUMN dim_location.source_run_id IS 'The ingest run that brought this row''s current values.';
COMMENT ON COLUMN dim_location.deleted_at IS 'When the source address was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.';
COMMENT ON TABLE dim_currency IS 'One row per ToteSys currency. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON COLUMN dim_currency.currency_id IS 'ToteSys currency_id (primary key).';
COMMENT ON COLUMN dim_currency.currency_code IS 'ISO 4217 code, e.g. GBP, USD, EUR.';
COMMENT ON COLUMN dim_currency.currency_name IS 'English name of the currency, e.g. Pound Sterling.';
COMMENT ON COLUMN dim_currency.source_last_updated IS 'ToteSys last_updated of the currency this row was built from (UTC); keeps runs loaded out of order from regressing the row.';
COMMENT ON COLUMN dim_currency.source_run_id IS 'The ingest run that brought this row''s current values.';
COMMENT ON COLUMN dim_currency.deleted_at IS 'When the source currency was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.';
COMMENT ON TABLE dim_design IS 'One row per tote bag design, with its latest values.';
COMMENT ON COLUMN dim_design.design_id IS 'ToteSys design_id (primary key).';
COMMENT ON COLUMN dim_design.design_name IS 'Name of the design.';
COMMENT ON COLUMN dim_design.file_location IS 'Folder of the design''s artwork file.';
COMMENT ON COLUMN dim_design.file_name IS 'File name of the design''s artwork.';
COMMENT ON COLUMN dim_design.source_last_updated IS 'ToteSys last_updated of the design this row was built from (UTC); keeps runs loaded out of order from regressing the row.';
COMMENT ON COLUMN dim_design.source_run_id IS 'The ingest run that brought this row''s current values.';
COMMENT ON COLUMN dim_design.deleted_at IS 'When the source design was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.';
COMMENT ON TABLE dim_payment_type IS 'One row per kind of payment (e.g. SALES_RECEIPT, PURCHASE_PAYMENT).';
COMMENT ON COLUMN dim_payment_type.payment_type_id IS 'ToteSys payment_type_id (primary key).';
COMMENT ON COLUMN dim_payment_type.payment_type_name IS 'Name of the payment type.';
COMMENT ON COLUMN dim_payment_type.source_last_updated IS 'ToteSys last_updated of the payment type this row was built from (UTC); keeps runs loaded out of order from regressing the row.';
COMMENT ON COLUMN dim_payment_type.source_run_id IS 'The ingest run that brought this row''s current values.';
COMMENT ON COLUMN dim_payment_type.deleted_at IS 'When the source payment type was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.';
COMMENT ON TABLE dim_staff IS 'One row per member of staff, with the name and location of their department.';
COMMENT ON COLUMN dim_staff.staff_id IS 'ToteSys staff_id (primary key).';
COMMENT ON COLUMN dim_staff.first_name IS 'First name.';
COMMENT ON COLUMN dim_staff.last_name IS 'Last name.';
COMMENT ON COLUMN dim_staff.department_name IS 'Name of the staff member''s department (ToteSys department).';
COMMENT ON COLUMN dim_staff.location IS 'Location of the staff member''s department.';
COMMENT ON COLUMN dim_staff.email_address IS 'Work e-mail address.';
COMMENT ON COLUMN dim_staff.source_last_updated IS 'ToteSys last_updated of the staff row this row was built from (UTC); keeps runs loaded out of order from regressing the row.';
COMMENT ON COLUMN dim_staff.source_run_id IS 'The ingest run that brought this row''s current values.';
COMMENT ON COLUMN dim_staff.deleted_at IS 'When the source staff row was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.';
COMMENT ON TABLE dim_counterparty IS 'One row per counterparty (customer or supplier), with its legal address copied from ToteSys address.';
COMMENT ON COLUMN dim_counterparty.counterparty_id IS 'ToteSys counterparty_id (primary key).';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_name IS 'Legal name of the counterparty.';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_address_line_1 IS 'First line of the legal address.';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_address_line_2 IS 'Second line of the legal address, if any.';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_district IS 'District of the legal address, if any.';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_city IS 'City of the legal address.';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_postal_code IS 'Postal code of the legal address.';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_country IS 'Country of the legal address.';
COMMENT ON COLUMN dim_counterparty.counterparty_legal_phone_number IS 'Telephone number of the legal address.';
COMMENT ON COLUMN dim_counterparty.source_last_updated IS 'ToteSys last_updated of the counterparty this row was built from (UTC); keeps runs loaded out of order from regressing the row.';
COMMENT ON COLUMN dim_counterparty.source_run_id IS 'The ingest run that brought this row''s current values.';
COMMENT ON COLUMN dim_counterparty.deleted_at IS 'When the source counterparty was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.';
COMMENT ON TABLE dim_transaction IS 'One row per ToteSys transaction: a sale or a purchase that payments settle.';
COMMENT ON COLUMN dim_transaction.transaction_id IS 'ToteSys transaction_id (primary key).';
COMMENT ON COLUMN dim_transaction.transaction_type IS 'SALE or PURCHASE.';
COMMENT ON COLUMN dim_transaction.sales_order_id IS 'The sales order of a SALE (NULL otherwise, or when that order was deleted).';
COMMENT ON COLUMN dim_transaction.purchase_order_id IS 'The purchase order of a PURCHASE (NULL otherwise, or when that order was deleted).';
COMMENT ON COLUMN dim_transaction.source_last_updated IS 'ToteSys last_updated of the transaction this row was built from (UTC); keeps runs loaded out of order from regressing the row.';
COMMENT ON COLUMN dim_transaction.source_run_id IS 'The ingest run that brought this row''s current values.';
COMMENT ON COLUMN dim_transaction.deleted_at IS 'When the source transaction was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.';
COMMENT ON TABLE fact_sales_order IS 'History of sales orders: one row per distinct content a ToteSys sales order had when captured, in capture order. fact_sales_order_current holds the latest version of each live order.';
COMMENT ON COLUMN fact_sales_order.sales_record_id IS 'Warehouse key of this version of the sales order: versions of one sales order in capture order (the highest is the latest).';
COMMENT ON COLUMN fact_sales_order.sales_order_id IS 'ToteSys sales_order_id: the order (natural key; one row per version).';
COMMENT ON COLUMN fact_sales_order.created_date IS 'Date the sales order was created in ToteSys (UTC).';
COMMENT ON COLUMN fact_sales_order.created_time IS 'Time of day the sales order was created in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_sales_order.last_updated_date IS 'Date of this version''s last_updated in ToteSys (UTC).';
COMMENT ON COLUMN fact_sales_order.last_updated_time IS 'Time of day of this version''s last_updated in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_sales_order.sales_staff_id IS 'The member of staff who made the sale (dim_staff).';
COMMENT ON COLUMN fact_sales_order.counterparty_id IS 'The customer (dim_counterparty).';
COMMENT ON COLUMN fact_sales_order.units_sold IS 'Number of bags sold.';
COMMENT ON COLUMN fact_sales_order.unit_price IS 'Price of one bag in the order''s currency (exact, 2 decimals). Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON COLUMN fact_sales_order.currency_id IS 'Currency of unit_price (dim_currency).';
COMMENT ON COLUMN fact_sales_order.design_id IS 'The design sold (dim_design).';
COMMENT ON COLUMN fact_sales_order.agreed_payment_date IS 'Date the customer agreed to pay.';
COMMENT ON COLUMN fact_sales_order.agreed_delivery_date IS 'Date agreed for delivery.';
COMMENT ON COLUMN fact_sales_order.agreed_delivery_location_id IS 'Where the order is delivered (dim_location).';
COMMENT ON COLUMN fact_sales_order.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON TABLE fact_purchase_order IS 'History of purchase orders: one row per distinct content a ToteSys purchase order had when captured, in capture order. fact_purchase_order_current holds the latest version of each live order.';
COMMENT ON COLUMN fact_purchase_order.purchase_record_id IS 'Warehouse key of this version of the purchase order: versions of one purchase order in capture order (the highest is the latest).';
COMMENT ON COLUMN fact_purchase_order.purchase_order_id IS 'ToteSys purchase_order_id: the order (natural key; one row per version).';
COMMENT ON COLUMN fact_purchase_order.created_date IS 'Date the purchase order was created in ToteSys (UTC).';
COMMENT ON COLUMN fact_purchase_order.created_time IS 'Time of day the purchase order was created in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_purchase_order.last_updated_date IS 'Date of this version''s last_updated in ToteSys (UTC).';
COMMENT ON COLUMN fact_purchase_order.last_updated_time IS 'Time of day of this version''s last_updated in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_purchase_order.staff_id IS 'The member of staff who placed the order (dim_staff).';
COMMENT ON COLUMN fact_purchase_order.counterparty_id IS 'The supplier (dim_counterparty).';
COMMENT ON COLUMN fact_purchase_order.item_code IS 'Supplier''s code of the item bought.';
COMMENT ON COLUMN fact_purchase_order.item_quantity IS 'Number of items bought.';
COMMENT ON COLUMN fact_purchase_order.item_unit_price IS 'Price of one item in the order''s currency (exact). Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON COLUMN fact_purchase_order.currency_id IS 'Currency of item_unit_price (dim_currency).';
COMMENT ON COLUMN fact_purchase_order.agreed_delivery_date IS 'Date agreed for delivery.';
COMMENT ON COLUMN fact_purchase_order.agreed_payment_date IS 'Date agreed for payment.';
COMMENT ON COLUMN fact_purchase_order.agreed_delivery_location_id IS 'Where the items are delivered (dim_location).';
COMMENT ON COLUMN fact_purchase_order.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON TABLE fact_payment IS 'History of payments: one row per distinct content a ToteSys payment had when captured, in capture order (a payment turning paid is a new version). fact_payment_current holds the latest version of each live payment.';
COMMENT ON COLUMN fact_payment.payment_record_id IS 'Warehouse key of this version of the payment: versions of one payment in capture order (the highest is the latest).';
COMMENT ON COLUMN fact_payment.payment_id IS 'ToteSys payment_id: the payment (natural key; one row per version).';
COMMENT ON COLUMN fact_payment.created_date IS 'Date the payment was created in ToteSys (UTC).';
COMMENT ON COLUMN fact_payment.created_time IS 'Time of day the payment was created in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_payment.last_updated_date IS 'Date of this version''s last_updated in ToteSys (UTC).';
COMMENT ON COLUMN fact_payment.last_updated_time IS 'Time of day of this version''s last_updated in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_payment.transaction_id IS 'The sale or purchase this payment settles (dim_transaction).';
COMMENT ON COLUMN fact_payment.counterparty_id IS 'Who pays or is paid (dim_counterparty).';
COMMENT ON COLUMN fact_payment.payment_amount IS 'Amount in the payment''s currency (exact). Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON COLUMN fact_payment.currency_id IS 'Currency of payment_amount (dim_currency).';
COMMENT ON COLUMN fact_payment.payment_type_id IS 'Kind of payment (dim_payment_type).';
COMMENT ON COLUMN fact_payment.paid IS 'Whether the payment has been made (true) or is still due (false).';
COMMENT ON COLUMN fact_payment.payment_date IS 'Date the payment was made, or is due when not paid yet.';
COMMENT ON COLUMN fact_payment.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON TABLE fact_deletion IS 'Source rows deleted in ToteSys: the fact, the natural id, the latest fact version (record id) it had when the deletion was detected, when (ToteSys clock, UTC) and by which run. A later version (re-insert) makes the row current again.';
COMMENT ON COLUMN fact_deletion.fact_table IS 'fact_sales_order, fact_purchase_order or fact_payment.';
COMMENT ON COLUMN fact_deletion.natural_id IS 'The deleted row''s natural id (sales_order_id, purchase_order_id or payment_id).';
COMMENT ON COLUMN fact_deletion.last_record_id IS 'The fact''s record id of the latest version when the deletion was detected.';
COMMENT ON COLUMN fact_deletion.detected_at IS 'When the deletion was detected: the ingest snapshot''s ToteSys clock (UTC).';
COMMENT ON COLUMN fact_deletion.run_id IS 'The ingest run that detected it.';
COMMENT ON TABLE etl_load_log IS 'One row per load attempt of an ingest run: when, how it ended and the rows per table.';
COMMENT ON COLUMN etl_load_log.load_id IS 'Order of the attempts.';
COMMENT ON COLUMN etl_load_log.run_id IS 'The ingest run loaded (the name of its manifest).';
COMMENT ON COLUMN etl_load_log.started_at IS 'When the load started.';
COMMENT ON COLUMN etl_load_log.finished_at IS 'When it committed or failed.';
COMMENT ON COLUMN etl_load_log.outcome IS 'loaded (committed; at most once per run) or failed (rolled back).';
COMMENT ON COLUMN etl_load_log.row_counts IS 'Per warehouse table: rows staged from the run''s Parquet file (staged), rows inserted or changed (merged) and deletions recorded (deleted).';
COMMENT ON COLUMN etl_load_log.error IS 'Why a failed load failed; NULL when loaded.';
COMMENT ON TABLE reconcile_log IS 'One row per etl reconcile: outcome, differing keys per table (first 20), error.';
COMMENT ON COLUMN reconcile_log.reconcile_id IS 'Order of the reconciles.';
COMMENT ON COLUMN reconcile_log.started_at IS 'When the reconcile started.';
COMMENT ON COLUMN reconcile_log.finished_at IS 'When it ended.';
COMMENT ON COLUMN reconcile_log.outcome IS 'equal, different or failed.';
COMMENT ON COLUMN reconcile_log.differences IS 'Keys that differ, all tables together.';
COMMENT ON COLUMN reconcile_log.tables IS 'Per compared table: table, source_rows, warehouse_rows, differences and the first differing keys.';
COMMENT ON COLUMN reconcile_log.error IS 'Why it failed (failed only).';
COMMENT ON TABLE etl_rebuild IS 'The processed location (bucket and key prefix) a rebuild fills this warehouse from: a rebuild refuses a non-empty warehouse it did not start, and resumes the one it did.';
COMMENT ON COLUMN etl_rebuild.processed_location IS 's3://bucket/prefix/ of the rebuild''s Parquet files.';
COMMENT ON COLUMN etl_rebuild.started_at IS 'When the rebuild started.';
COMMENT ON TABLE schema_migrations IS 'Warehouse schema versions applied (lib/load/migrations.ts).';
COMMENT ON COLUMN schema_migrations.version IS 'Migration number.';
COMMENT ON COLUMN schema_migrations.name IS 'Migration name.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied.';
COMMENT ON VIEW fact_sales_order_current IS 'Current state of every live ToteSys sales order: its latest captured version (the columns of fact_sales_order); deleted ones left out.';
COMMENT ON COLUMN fact_sales_order_current.sales_record_id IS 'Warehouse key of this version of the sales order: versions of one sales order in capture order (the highest is the latest).';
COMMENT ON COLUMN fact_sales_order_current.sales_order_id IS 'ToteSys sales_order_id: the order (natural key; one row per version).';
COMMENT ON COLUMN fact_sales_order_current.created_date IS 'Date the sales order was created in ToteSys (UTC).';
COMMENT ON COLUMN fact_sales_order_current.created_time IS 'Time of day the sales order was created in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_sales_order_current.last_updated_date IS 'Date of this version''s last_updated in ToteSys (UTC).';
COMMENT ON COLUMN fact_sales_order_current.last_updated_time IS 'Time of day of this version''s last_updated in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_sales_order_current.sales_staff_id IS 'The member of staff who made the sale (dim_staff).';
COMMENT ON COLUMN fact_sales_order_current.counterparty_id IS 'The customer (dim_counterparty).';
COMMENT ON COLUMN fact_sales_order_current.units_sold IS 'Number of bags sold.';
COMMENT ON COLUMN fact_sales_order_current.unit_price IS 'Price of one bag in the order''s currency (exact, 2 decimals). Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON COLUMN fact_sales_order_current.currency_id IS 'Currency of unit_price (dim_currency).';
COMMENT ON COLUMN fact_sales_order_current.design_id IS 'The design sold (dim_design).';
COMMENT ON COLUMN fact_sales_order_current.agreed_payment_date IS 'Date the customer agreed to pay.';
COMMENT ON COLUMN fact_sales_order_current.agreed_delivery_date IS 'Date agreed for delivery.';
COMMENT ON COLUMN fact_sales_order_current.agreed_delivery_location_id IS 'Where the order is delivered (dim_location).';
COMMENT ON COLUMN fact_sales_order_current.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON VIEW fact_purchase_order_current IS 'Current state of every live ToteSys purchase order: its latest captured version (the columns of fact_purchase_order); deleted ones left out.';
COMMENT ON COLUMN fact_purchase_order_current.purchase_record_id IS 'Warehouse key of this version of the purchase order: versions of one purchase order in capture order (the highest is the latest).';
COMMENT ON COLUMN fact_purchase_order_current.purchase_order_id IS 'ToteSys purchase_order_id: the order (natural key; one row per version).';
COMMENT ON COLUMN fact_purchase_order_current.created_date IS 'Date the purchase order was created in ToteSys (UTC).';
COMMENT ON COLUMN fact_purchase_order_current.created_time IS 'Time of day the purchase order was created in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_purchase_order_current.last_updated_date IS 'Date of this version''s last_updated in ToteSys (UTC).';
COMMENT ON COLUMN fact_purchase_order_current.last_updated_time IS 'Time of day of this version''s last_updated in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_purchase_order_current.staff_id IS 'The member of staff who placed the order (dim_staff).';
COMMENT ON COLUMN fact_purchase_order_current.counterparty_id IS 'The supplier (dim_counterparty).';
COMMENT ON COLUMN fact_purchase_order_current.item_code IS 'Supplier''s code of the item bought.';
COMMENT ON COLUMN fact_purchase_order_current.item_quantity IS 'Number of items bought.';
COMMENT ON COLUMN fact_purchase_order_current.item_unit_price IS 'Price of one item in the order''s currency (exact). Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON COLUMN fact_purchase_order_current.currency_id IS 'Currency of item_unit_price (dim_currency).';
COMMENT ON COLUMN fact_purchase_order_current.agreed_delivery_date IS 'Date agreed for delivery.';
COMMENT ON COLUMN fact_purchase_order_current.agreed_payment_date IS 'Date agreed for payment.';
COMMENT ON COLUMN fact_purchase_order_current.agreed_delivery_location_id IS 'Where the items are delivered (dim_location).';
COMMENT ON COLUMN fact_purchase_order_current.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON VIEW fact_payment_current IS 'Current state of every live ToteSys payment: its latest captured version (the columns of fact_payment); deleted ones left out.';
COMMENT ON COLUMN fact_payment_current.payment_record_id IS 'Warehouse key of this version of the payment: versions of one payment in capture order (the highest is the latest).';
COMMENT ON COLUMN fact_payment_current.payment_id IS 'ToteSys payment_id: the payment (natural key; one row per version).';
COMMENT ON COLUMN fact_payment_current.created_date IS 'Date the payment was created in ToteSys (UTC).';
COMMENT ON COLUMN fact_payment_current.created_time IS 'Time of day the payment was created in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_payment_current.last_updated_date IS 'Date of this version''s last_updated in ToteSys (UTC).';
COMMENT ON COLUMN fact_payment_current.last_updated_time IS 'Time of day of this version''s last_updated in ToteSys (UTC, microseconds).';
COMMENT ON COLUMN fact_payment_current.transaction_id IS 'The sale or purchase this payment settles (dim_transaction).';
COMMENT ON COLUMN fact_payment_current.counterparty_id IS 'Who pays or is paid (dim_counterparty).';
COMMENT ON COLUMN fact_payment_current.payment_amount IS 'Amount in the payment''s currency (exact). Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON COLUMN fact_payment_current.currency_id IS 'Currency of payment_amount (dim_currency).';
COMMENT ON COLUMN fact_payment_current.payment_type_id IS 'Kind of payment (dim_payment_type).';
COMMENT ON COLUMN fact_payment_current.paid IS 'Whether the payment has been made (true) or is still due (false).';
COMMENT ON COLUMN fact_payment_current.payment_date IS 'Date the payment was made, or is due when not paid yet.';
COMMENT ON COLUMN fact_payment_current.source_run_id IS 'The ingest run that captured this version (NULL: loaded before migration 2).';
COMMENT ON VIEW sales_by_month_currency IS 'Sales per month of order creation and per currency. Counts the current state (fact_*_current views): the latest version of every live ToteSys row.';
COMMENT ON COLUMN sales_by_month_currency.month IS 'First day of the month of the order''s created_date (UTC).';
COMMENT ON COLUMN sales_by_month_currency.currency_code IS 'Currency of the amounts on this row (ISO 4217).';
COMMENT ON COLUMN sales_by_month_currency.orders IS 'Number of sales orders.';
COMMENT ON COLUMN sales_by_month_currency.units_sold IS 'Bags sold (units may be added across currencies).';
COMMENT ON COLUMN sales_by_month_currency.revenue IS 'Sum of units_sold × unit_price, in currency_code. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON VIEW sales_by_design IS 'Sales per design and currency. A design with no sales has one row with currency_code and revenue NULL and 0 orders and units (deleted designs without sales are left out). Counts the current state (fact_*_current views): the latest version of every live ToteSys row.';
COMMENT ON COLUMN sales_by_design.design_id IS 'The design (dim_design).';
COMMENT ON COLUMN sales_by_design.design_name IS 'Name of the design.';
COMMENT ON COLUMN sales_by_design.currency_code IS 'Currency of revenue (ISO 4217); NULL for a design with no sales.';
COMMENT ON COLUMN sales_by_design.orders IS 'Number of sales orders.';
COMMENT ON COLUMN sales_by_design.units_sold IS 'Bags sold (units may be added across currencies).';
COMMENT ON COLUMN sales_by_design.revenue IS 'Sum of units_sold × unit_price, in currency_code; NULL with no sales. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON VIEW sales_by_delivery_location IS 'Sales per agreed delivery country and city, and currency. Counts the current state (fact_*_current views): the latest version of every live ToteSys row.';
COMMENT ON COLUMN sales_by_delivery_location.country IS 'Country of the delivery address (dim_location).';
COMMENT ON COLUMN sales_by_delivery_location.city IS 'City of the delivery address.';
COMMENT ON COLUMN sales_by_delivery_location.currency_code IS 'Currency of the amounts on this row (ISO 4217).';
COMMENT ON COLUMN sales_by_delivery_location.orders IS 'Number of sales orders.';
COMMENT ON COLUMN sales_by_delivery_location.units_sold IS 'Bags sold (units may be added across currencies).';
COMMENT ON COLUMN sales_by_delivery_location.revenue IS 'Sum of units_sold × unit_price, in currency_code. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON VIEW sales_by_staff IS 'Sales per member of the sales staff and currency, with their current department. Counts the current state (fact_*_current views): the latest version of every live ToteSys row.';
COMMENT ON COLUMN sales_by_staff.staff_id IS 'The member of staff (dim_staff).';
COMMENT ON COLUMN sales_by_staff.first_name IS 'First name.';
COMMENT ON COLUMN sales_by_staff.last_name IS 'Last name.';
COMMENT ON COLUMN sales_by_staff.department_name IS 'Their department today (dimensions hold the latest values).';
COMMENT ON COLUMN sales_by_staff.currency_code IS 'Currency of the amounts on this row (ISO 4217).';
COMMENT ON COLUMN sales_by_staff.orders IS 'Number of sales orders.';
COMMENT ON COLUMN sales_by_staff.units_sold IS 'Bags sold (units may be added across currencies).';
COMMENT ON COLUMN sales_by_staff.revenue IS 'Sum of units_sold × unit_price, in currency_code. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON VIEW sales_by_department IS 'Sales per department of the sales staff and currency. Counts the current state (fact_*_current views): the latest version of every live ToteSys row.';
COMMENT ON COLUMN sales_by_department.department_name IS 'Department of the member of staff who made the sale (their department today).';
COMMENT ON COLUMN sales_by_department.currency_code IS 'Currency of the amounts on this row (ISO 4217).';
COMMENT ON COLUMN sales_by_department.orders IS 'Number of sales orders.';
COMMENT ON COLUMN sales_by_department.units_sold IS 'Bags sold (units may be added across currencies).';
COMMENT ON COLUMN sales_by_department.revenue IS 'Sum of units_sold × unit_price, in currency_code. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON VIEW purchases_by_counterparty IS 'Purchases per supplier and currency. Counts the current state (fact_*_current views): the latest version of every live ToteSys row.';
COMMENT ON COLUMN purchases_by_counterparty.counterparty_id IS 'The supplier (dim_counterparty).';
COMMENT ON COLUMN purchases_by_counterparty.counterparty_legal_name IS 'Legal name of the supplier.';
COMMENT ON COLUMN purchases_by_counterparty.currency_code IS 'Currency of amount (ISO 4217).';
COMMENT ON COLUMN purchases_by_counterparty.orders IS 'Number of purchase orders.';
COMMENT ON COLUMN purchases_by_counterparty.item_quantity IS 'Items bought.';
COMMENT ON COLUMN purchases_by_counterparty.amount IS 'Sum of item_quantity × item_unit_price, in currency_code. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON VIEW payments_by_month IS 'Payments per month of payment_date, currency, payment type (SALES_RECEIPT and SALES_REFUND: with customers; PURCHASE_PAYMENT and PURCHASE_REFUND: with suppliers) and whether paid. Counts the current state (fact_*_current views): the latest version of every live ToteSys row.';
COMMENT ON COLUMN payments_by_month.month IS 'First day of the month of the payment''s payment_date (UTC).';
COMMENT ON COLUMN payments_by_month.currency_code IS 'Currency of amount (ISO 4217).';
COMMENT ON COLUMN payments_by_month.payment_type_name IS 'Kind of payment (dim_payment_type), e.g. SALES_RECEIPT or PURCHASE_PAYMENT.';
COMMENT ON COLUMN payments_by_month.paid IS 'Whether these payments have been made (true) or are still due (false).';
COMMENT ON COLUMN payments_by_month.payments IS 'Number of payments.';
COMMENT ON COLUMN payments_by_month.amount IS 'Sum of payment_amount, in currency_code. Never add amounts of different currencies: ToteSys holds no exchange rates.';
COMMENT ON VIEW warehouse_freshness IS 'Per dimension (but dim_date) and fact table: its rows and the newest ToteSys last_updated it holds, to compare with the time now.';
COMMENT ON COLUMN warehouse_freshness.table_name IS 'The warehouse table.';
COMMENT ON COLUMN warehouse_freshness.row_count IS 'Rows in the table (facts: every version).';
COMMENT ON COLUMN warehouse_freshness.newest_change IS 'Newest ToteSys last_updated loaded into the table (UTC); NULL when empty.';
-- END GENERATED COMMENTS
