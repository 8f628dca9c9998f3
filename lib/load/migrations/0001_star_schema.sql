-- Warehouse star schema, version 1.
-- Columns, types and foreign keys match the reference DDL (the Northcoders reference DDL, docs/design.md section 5, the
-- Northcoders ERD) column for column. Added only what correctness needs (issue 5):
--   * dimensions (not dim_date): source_last_updated and source_run_id, the version that keeps a dimension from
--     regressing when runs are loaded out of order;
--   * facts: a unique key on (natural id, last_updated_date, last_updated_time), so a version loads once;
--   * etl_load_log: one row per load attempt.

CREATE TABLE dim_date (
  date_id date PRIMARY KEY,
  year int NOT NULL,
  month int NOT NULL,
  day int NOT NULL,
  day_of_week int NOT NULL,
  day_name varchar NOT NULL,
  month_name varchar NOT NULL,
  quarter int NOT NULL
);
COMMENT ON TABLE dim_date IS 'Contiguous calendar in whole years covering every date a fact references (agreed dates in the future included).';
COMMENT ON COLUMN dim_date.day_of_week IS 'ISO 8601: 1 = Monday .. 7 = Sunday.';
COMMENT ON COLUMN dim_date.day_name IS 'English day name, unpadded: Monday .. Sunday.';
COMMENT ON COLUMN dim_date.month_name IS 'English month name, unpadded: January .. December.';
COMMENT ON COLUMN dim_date.quarter IS 'Calendar quarter 1..4 (January-March = 1).';

CREATE TABLE dim_staff (
  staff_id int PRIMARY KEY,
  first_name varchar NOT NULL,
  last_name varchar NOT NULL,
  department_name varchar NOT NULL,
  location varchar NOT NULL,
  email_address varchar NOT NULL,
  source_last_updated timestamp(6) NOT NULL,
  source_run_id text NOT NULL
);

CREATE TABLE dim_location (
  location_id int PRIMARY KEY,
  address_line_1 varchar NOT NULL,
  address_line_2 varchar,
  district varchar,
  city varchar NOT NULL,
  postal_code varchar NOT NULL,
  country varchar NOT NULL,
  phone varchar NOT NULL,
  source_last_updated timestamp(6) NOT NULL,
  source_run_id text NOT NULL
);

CREATE TABLE dim_currency (
  currency_id int PRIMARY KEY,
  currency_code varchar NOT NULL,
  currency_name varchar NOT NULL,
  source_last_updated timestamp(6) NOT NULL,
  source_run_id text NOT NULL
);

CREATE TABLE dim_design (
  design_id int PRIMARY KEY,
  design_name varchar NOT NULL,
  file_location varchar NOT NULL,
  file_name varchar NOT NULL,
  source_last_updated timestamp(6) NOT NULL,
  source_run_id text NOT NULL
);

CREATE TABLE dim_counterparty (
  counterparty_id int PRIMARY KEY,
  counterparty_legal_name varchar NOT NULL,
  counterparty_legal_address_line_1 varchar NOT NULL,
  counterparty_legal_address_line_2 varchar,
  counterparty_legal_district varchar,
  counterparty_legal_city varchar NOT NULL,
  counterparty_legal_postal_code varchar NOT NULL,
  counterparty_legal_country varchar NOT NULL,
  counterparty_legal_phone_number varchar NOT NULL,
  source_last_updated timestamp(6) NOT NULL,
  source_run_id text NOT NULL
);

CREATE TABLE dim_payment_type (
  payment_type_id int PRIMARY KEY,
  payment_type_name varchar NOT NULL,
  source_last_updated timestamp(6) NOT NULL,
  source_run_id text NOT NULL
);

CREATE TABLE dim_transaction (
  transaction_id int PRIMARY KEY,
  transaction_type varchar NOT NULL,
  sales_order_id int,
  purchase_order_id int,
  source_last_updated timestamp(6) NOT NULL,
  source_run_id text NOT NULL
);

CREATE TABLE fact_sales_order (
  sales_record_id serial PRIMARY KEY,
  sales_order_id int NOT NULL,
  created_date date NOT NULL REFERENCES dim_date (date_id),
  created_time time NOT NULL,
  last_updated_date date NOT NULL REFERENCES dim_date (date_id),
  last_updated_time time NOT NULL,
  sales_staff_id int NOT NULL REFERENCES dim_staff (staff_id),
  counterparty_id int NOT NULL REFERENCES dim_counterparty (counterparty_id),
  units_sold int NOT NULL,
  unit_price numeric(10, 2) NOT NULL,
  currency_id int NOT NULL REFERENCES dim_currency (currency_id),
  design_id int NOT NULL REFERENCES dim_design (design_id),
  agreed_payment_date date NOT NULL REFERENCES dim_date (date_id),
  agreed_delivery_date date NOT NULL REFERENCES dim_date (date_id),
  agreed_delivery_location_id int NOT NULL REFERENCES dim_location (location_id),
  CONSTRAINT fact_sales_order_version_key UNIQUE (sales_order_id, last_updated_date, last_updated_time)
);

CREATE TABLE fact_purchase_order (
  purchase_record_id serial PRIMARY KEY,
  purchase_order_id int NOT NULL,
  created_date date NOT NULL REFERENCES dim_date (date_id),
  created_time time NOT NULL,
  last_updated_date date NOT NULL REFERENCES dim_date (date_id),
  last_updated_time time NOT NULL,
  staff_id int NOT NULL REFERENCES dim_staff (staff_id),
  counterparty_id int NOT NULL REFERENCES dim_counterparty (counterparty_id),
  item_code varchar NOT NULL,
  item_quantity int NOT NULL,
  item_unit_price numeric NOT NULL,
  currency_id int NOT NULL REFERENCES dim_currency (currency_id),
  agreed_delivery_date date NOT NULL REFERENCES dim_date (date_id),
  agreed_payment_date date NOT NULL REFERENCES dim_date (date_id),
  agreed_delivery_location_id int NOT NULL REFERENCES dim_location (location_id),
  CONSTRAINT fact_purchase_order_version_key UNIQUE (purchase_order_id, last_updated_date, last_updated_time)
);

CREATE TABLE fact_payment (
  payment_record_id serial PRIMARY KEY,
  payment_id int NOT NULL,
  created_date date NOT NULL REFERENCES dim_date (date_id),
  created_time time NOT NULL,
  last_updated_date date NOT NULL REFERENCES dim_date (date_id),
  last_updated_time time NOT NULL,
  transaction_id int NOT NULL REFERENCES dim_transaction (transaction_id),
  counterparty_id int NOT NULL REFERENCES dim_counterparty (counterparty_id),
  payment_amount numeric NOT NULL,
  currency_id int NOT NULL REFERENCES dim_currency (currency_id),
  payment_type_id int NOT NULL REFERENCES dim_payment_type (payment_type_id),
  paid boolean NOT NULL,
  payment_date date NOT NULL REFERENCES dim_date (date_id),
  CONSTRAINT fact_payment_version_key UNIQUE (payment_id, last_updated_date, last_updated_time)
);

CREATE TABLE etl_load_log (
  load_id bigserial PRIMARY KEY,
  run_id text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('loaded', 'failed')),
  row_counts jsonb NOT NULL DEFAULT '{}',
  error text
);
CREATE UNIQUE INDEX etl_load_log_loaded_once ON etl_load_log (run_id) WHERE outcome = 'loaded';
