/**
 * The warehouse's data dictionary: every table and view with what it and each of its columns mean. The star
 * schema's descriptions are those of the contract ({@link WAREHOUSE_TABLES}); this module adds the pipeline's own
 * tables and the views (migrations 2 and 3), so that every relation of the warehouse is described in one place.
 *
 * From it come the `COMMENT ON` statements that lib/load/migrations.ts applies after the migrations
 * ({@link commentStatements}) and docs/warehouse.md (lib/report/dictionary_doc.ts, `deno task docs`);
 * tests/load/dictionary_test.ts checks the migrated catalog against it.
 *
 * @module
 */
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES, type WarehouseTableName } from "./warehouse.ts";
import { warehouseColumns } from "./keys.ts";
import { ANALYST_VIEWS } from "./_analyst_views.ts";

/** A described column of a table or view. */
export interface ColumnDoc {
  name: string;
  description: string;
}

/** A described table or view of the warehouse. */
export interface RelationDoc {
  name: string;
  /** `dimension`/`fact`: the star schema; `pipeline`: tables the pipeline keeps; `view`: a view. */
  kind: "dimension" | "fact" | "pipeline" | "view";
  description: string;
  /** Every column (the database's order may differ: docs follow the catalog's order). */
  columns: readonly ColumnDoc[];
  /** What one row is identified by (views: their grouping columns), as column names. */
  grain: readonly string[];
  /** Example queries (run by the docs test, so they stay valid). */
  examples: readonly string[];
}

const col = (name: string, description: string): ColumnDoc => ({ name, description });

function starTable(name: WarehouseTableName): RelationDoc {
  const t = WAREHOUSE_TABLES[name];
  const columns = warehouseColumns(name);
  return {
    name,
    kind: t.kind,
    description: t.description,
    columns: columns.map((c) => col(c.name, c.description)),
    grain: [t.recordId ?? t.key],
    examples: [],
  };
}

/** The facts, in load order. */
const FACTS = WAREHOUSE_TABLE_NAMES.filter((n) => WAREHOUSE_TABLES[n].kind === "fact");

/** "a, b or c". */
const either = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

/** The `<fact>_current` view of a fact (migration 2 and the migration that adds a fact create it). */
function currentView(name: WarehouseTableName): RelationDoc {
  const t = starTable(name);
  const what = WAREHOUSE_TABLES[name].source!.replaceAll("_", " ");
  return {
    name: `${name}_current`,
    kind: "view",
    description:
      `Current state of every live ToteSys ${what}: its latest captured version (the columns of ${name}); deleted ones left out.`,
    columns: t.columns,
    grain: [WAREHOUSE_TABLES[name].key],
    examples: [],
  };
}

/** The pipeline's own tables (migrations 1 and 2, and the migration runner). */
const PIPELINE_TABLES: readonly RelationDoc[] = [
  {
    name: "fact_deletion",
    kind: "pipeline",
    description:
      "Source rows deleted in ToteSys: the fact, the natural id, the latest fact version (record id) it had when the deletion was detected, when (ToteSys clock, UTC) and by which run. A later version (re-insert) makes the row current again.",
    columns: [
      col("fact_table", `${either(FACTS)}.`),
      col(
        "natural_id",
        `The deleted row's natural id (${either(FACTS.map((f) => WAREHOUSE_TABLES[f].key))}).`,
      ),
      col("last_record_id", "The fact's record id of the latest version when the deletion was detected."),
      col("detected_at", "When the deletion was detected: the ingest snapshot's ToteSys clock (UTC)."),
      col("run_id", "The ingest run that detected it."),
    ],
    grain: ["fact_table", "natural_id", "last_record_id"],
    examples: ["SELECT fact_table, count(*) FROM fact_deletion GROUP BY fact_table"],
  },
  {
    name: "etl_load_log",
    kind: "pipeline",
    description: "One row per load attempt of an ingest run: when, how it ended and the rows per table.",
    columns: [
      col("load_id", "Order of the attempts."),
      col("run_id", "The ingest run loaded (the name of its manifest)."),
      col("started_at", "When the load started."),
      col("finished_at", "When it committed or failed."),
      col("outcome", "loaded (committed; at most once per run) or failed (rolled back)."),
      col(
        "row_counts",
        "Per warehouse table: rows staged from the run's Parquet file (staged), rows inserted or changed (merged) and deletions recorded (deleted).",
      ),
      col("error", "Why a failed load failed; NULL when loaded."),
    ],
    grain: ["load_id"],
    examples: [
      "SELECT run_id, outcome, finished_at - started_at AS took FROM etl_load_log ORDER BY load_id DESC LIMIT 10",
    ],
  },
  {
    name: "reconcile_log",
    kind: "pipeline",
    description: "One row per etl reconcile: outcome, differing keys per table (first 20), error.",
    columns: [
      col("reconcile_id", "Order of the reconciles."),
      col("started_at", "When the reconcile started."),
      col("finished_at", "When it ended."),
      col("outcome", "equal, different or failed."),
      col("differences", "Keys that differ, all tables together."),
      col(
        "tables",
        "Per compared table: table, source_rows, warehouse_rows, differences and the first differing keys.",
      ),
      col("error", "Why it failed (failed only)."),
    ],
    grain: ["reconcile_id"],
    examples: [
      "SELECT finished_at, outcome, differences FROM reconcile_log ORDER BY reconcile_id DESC LIMIT 5",
    ],
  },
  {
    name: "etl_rebuild",
    kind: "pipeline",
    description:
      "The processed location (bucket and key prefix) a rebuild fills this warehouse from: a rebuild refuses a non-empty warehouse it did not start, and resumes the one it did.",
    columns: [
      col("processed_location", "s3://bucket/prefix/ of the rebuild's Parquet files."),
      col("started_at", "When the rebuild started."),
    ],
    grain: ["processed_location"],
    examples: ["SELECT * FROM etl_rebuild"],
  },
  {
    name: "schema_migrations",
    kind: "pipeline",
    description: "Warehouse schema versions applied (lib/load/migrations.ts).",
    columns: [
      col("version", "Migration number."),
      col("name", "Migration name."),
      col("applied_at", "When it was applied."),
    ],
    grain: ["version"],
    examples: [],
  },
];

/** Every table and view of the warehouse: the star schema, the pipeline's tables, then the views. */
export const WAREHOUSE_RELATIONS: readonly RelationDoc[] = [
  ...WAREHOUSE_TABLE_NAMES.map(starTable),
  ...PIPELINE_TABLES,
  ...FACTS.map(currentView),
  ...ANALYST_VIEWS,
];

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * `COMMENT ON` statements for every relation and column of {@link WAREHOUSE_RELATIONS}, one a line: applied by
 * lib/load/migrations.ts after the migrations whenever one is applied (migration 4 holds them as of its time).
 *
 * @example
 * ```ts
 * import { commentStatements } from "./dictionary.ts";
 * const lines = commentStatements();
 * if (!lines.includes("COMMENT ON COLUMN dim_date.quarter IS 'Calendar quarter 1..4 (January-March = 1).';")) {
 *   throw new Error("missing");
 * }
 * ```
 */
export function commentStatements(): string[] {
  const out: string[] = [];
  for (const r of WAREHOUSE_RELATIONS) {
    out.push(`COMMENT ON ${r.kind === "view" ? "VIEW" : "TABLE"} ${r.name} IS ${literal(r.description)};`);
    for (const c of r.columns) {
      out.push(`COMMENT ON COLUMN ${r.name}.${c.name} IS ${literal(c.description)};`);
    }
  }
  return out;
}
