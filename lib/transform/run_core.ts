/**
 * The transform's pure core for one ingest run: given the run's manifest, the previous state, the bad-row policy
 * and the changed rows of the small tables, it decides which warehouse rows each table gets, which rows are
 * quarantined, which facts wait for their dimension rows, the dim_date range, and the new state and manifest. It
 * reads no clock, no environment and no object: the runner (stage.ts) feeds it rows and writes what it returns.
 *
 * Call order (the runner's): {@link RunCore.dimensionRows} for each small dimension, {@link RunCore.streamRows}
 * for each streamed table, {@link RunCore.closeWaiting}, {@link RunCore.settle} (with the later runs that may
 * supersede failures), {@link RunCore.dateRows}, then {@link RunCore.quarantineObjects}, {@link RunCore.state}
 * and {@link RunCore.manifest}.
 *
 * @module
 */
import {
  SOURCE_TABLES,
  type SourceTableName,
  WAREHOUSE_TABLES,
  type WarehouseRow,
  type WarehouseTableName,
} from "../contract/mod.ts";
import { idsOf } from "../id_ranges.ts";
import type { IngestManifest } from "../run/mod.ts";
import { BadRowError, type BadRowPolicy, type QuarantineRecord, quarantineRecord } from "./bad_row.ts";
import { type Failure, settleFailures, SupersedingRuns } from "./failures.ts";
import type { ManifestFile, TransformManifest, TransformState, WaitingRow } from "./manifest.ts";
import { applyReferenceChanges, dimensionInputs, type SmallChanges } from "./reference.ts";
import {
  dateColumns,
  dateRangeCovering,
  newDateRows,
  REFERENCES,
  type RuleContext,
  RULES,
  type SmallDimension,
  type SourceRow,
  type StreamedTable,
  unionRange,
} from "./rules/mod.ts";
import { runManifest } from "./run_manifest.ts";
import { EmittedKeys, MissingReferenceError, releasable } from "./waiting.ts";

/** The run's dates seen so far, as the `[min, max]` of YYYY-MM-DD text. */
type DateSpan = { min: string; max: string } | null;

/**
 * The transform of one ingest run, over plain data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RunCore } from "./run_core.ts";
 * import { INITIAL_STATE } from "./chain.ts";
 * import type { IngestManifest } from "../run/mod.ts";
 * const manifest = { run_id: "r1", previous_run_id: null, tables: {} } as unknown as IngestManifest;
 * const small = { address: [], department: [], staff: [], counterparty: [], design: [], payment_type: [],
 *   currency: [{ currency_id: 1, currency_code: "GBP", last_updated: "2022-11-03 14:20:49.962000" }] };
 * const core = new RunCore(manifest, INITIAL_STATE, "fail", small);
 * assert.equal(core.dimensionRows("dim_currency")[0]?.currency_name, "British Pound");
 * assert.deepEqual(core.state().emitted?.dim_currency, [[1, 1]]);
 * ```
 */
export class RunCore {
  readonly runId: string;
  readonly context: RuleContext;
  /** Rows that waited and were released in this run. */
  released = 0;
  private readonly quarantine = new Map<string, QuarantineRecord[]>();
  private readonly failures: Failure[] = [];
  private readonly waiting: WaitingRow[] = [];
  private readonly emitted: EmittedKeys | undefined;
  private readonly inputs: Record<string, SourceRow[]>;
  private span: DateSpan = null;

  /**
   * @param manifest the ingest run's manifest
   * @param prev the state after the run's previous run (`INITIAL_STATE` of chain.ts for a first run)
   * @param policy what a bad row does
   * @param small the run's changed rows of the small source tables
   */
  constructor(
    readonly manifest: IngestManifest,
    readonly prev: TransformState,
    readonly policy: BadRowPolicy,
    readonly small: SmallChanges,
  ) {
    this.runId = manifest.run_id;
    const deleted = (source: SourceTableName) => idsOf(manifest.tables[source]?.deleted ?? []);
    const reference = applyReferenceChanges(prev.reference, small, {
      address: deleted("address"),
      department: deleted("department"),
      staff: deleted("staff"),
      counterparty: deleted("counterparty"),
    });
    this.context = { runId: this.runId, reference };
    this.inputs = dimensionInputs(reference, small);
    this.emitted = EmittedKeys.from(prev);
  }

  /** Builds a row, or records the bad row (failure or quarantine) and gives `undefined`. */
  private guard(
    source: SourceTableName,
    row: SourceRow,
    build: () => WarehouseRow,
  ): WarehouseRow | undefined {
    try {
      return build();
    } catch (err) {
      if (!(err instanceof BadRowError) || err instanceof MissingReferenceError) throw err;
      if (this.policy === "fail") this.failures.push({ source, error: err, row });
      else this.quarantineRow(source, quarantineRecord(err, row));
      return undefined;
    }
  }

  private quarantineRow(source: string, record: QuarantineRecord): void {
    const list = this.quarantine.get(source) ?? [];
    list.push(record);
    this.quarantine.set(source, list);
  }

  /** The rows of a small dimension in this run (changed rows and those re-emitted by a changed join). */
  dimensionRows(table: SmallDimension): WarehouseRow[] {
    const { source, build } = RULES[table];
    const rows: WarehouseRow[] = [];
    for (const r of this.inputs[table] ?? []) {
      const out = this.guard(source, r, () => build(r, this.context));
      if (!out) continue;
      rows.push(out);
      this.emitted?.add(table, out[WAREHOUSE_TABLES[table].key] as number);
    }
    return rows;
  }

  /** Builds a streamed table's row and checks its references: throws MissingReferenceError when one is missing. */
  private buildChecked(target: StreamedTable, r: SourceRow): WarehouseRow {
    const { source, build } = RULES[target];
    const references = REFERENCES[target];
    const row = build(r, this.context);
    if (this.emitted && references) {
      this.emitted.check(source, r[SOURCE_TABLES[source].pk] as number, row, references);
    }
    return row;
  }

  /** Records what an emitted row means for the run: its dates (dim_date) and, for dim_transaction, its key. */
  private emit(target: StreamedTable, out: WarehouseRow): WarehouseRow {
    for (const c of dateColumns(target)) {
      const d = out[c] as string;
      if (this.span === null) this.span = { min: d, max: d };
      else if (d < this.span.min) this.span.min = d;
      else if (d > this.span.max) this.span.max = d;
    }
    if (target === "dim_transaction") this.emitted?.add("dim_transaction", out.transaction_id as number);
    return out;
  }

  /**
   * The rows of a table built from a big source table: the run's rows (`rows`, the source object's lines in
   * order), then the rows that waited from earlier runs and can now be released. A fact whose dimension row is
   * missing waits (kept in the state; quarantined as "waiting" when it first arrives).
   */
  async *streamRows(
    target: StreamedTable,
    rows: AsyncIterable<SourceRow>,
  ): AsyncGenerator<WarehouseRow> {
    const source = RULES[target].source;
    const pk = SOURCE_TABLES[source].pk;
    // Only the keys of rows waiting from earlier runs need watching (a newer version drops the waiting one).
    const waitingKeys = new Set(
      (this.prev.waiting ?? []).filter((w) => w.source === source).map((w) => w.row[pk]),
    );
    const seen = new Set<unknown>();
    for await (const r of rows) {
      if (waitingKeys.size > 0 && waitingKeys.has(r[pk])) seen.add(r[pk]);
      let row: WarehouseRow | undefined;
      try {
        row = this.guard(source, r, () => this.buildChecked(target, r));
      } catch (err) {
        if (!(err instanceof MissingReferenceError)) throw err;
        this.waiting.push({ source, row: r, column: err.column, value: err.value, reason: err.message });
        continue;
      }
      if (row) yield this.emit(target, row);
    }
    const gone = this.manifest.tables[source]?.deleted ?? [];
    for (const w of releasable(this.prev.waiting ?? [], source, seen, gone)) {
      try {
        const built = this.buildChecked(target, w.row);
        this.released++;
        yield this.emit(target, built);
      } catch (err) {
        if (!(err instanceof MissingReferenceError)) throw err;
        this.waiting.push(w);
      }
    }
  }

  /** Quarantines the facts that started waiting in this run (those still waiting were quarantined before). */
  closeWaiting(): void {
    for (const w of this.waiting) {
      if ((this.prev.waiting ?? []).includes(w)) continue;
      this.quarantineRow(w.source, {
        source_table: w.source,
        key: w.row[SOURCE_TABLES[w.source].pk] as number,
        column: w.column,
        value: w.value,
        reason: `${w.reason}; waiting: it loads with the run that brings that row`,
        row: w.row,
      });
    }
  }

  /** What the runner must look up in later runs: an empty map when no row failed (then {@link settle} needs none). */
  superseding(): SupersedingRuns {
    return new SupersedingRuns(this.failures);
  }

  /**
   * Under the `fail` policy: quarantines the failures that a later run supersedes.
   *
   * @throws BadRowError the first failure no later run supersedes.
   */
  settle(superseding: SupersedingRuns): void {
    if (this.failures.length === 0) return;
    for (const { source, record } of settleFailures(this.runId, this.failures, superseding)) {
      this.quarantineRow(source, record);
    }
  }

  /** The dim_date range after this run: contiguous whole years covering every fact date seen so far. */
  dateRange(): [string, string] | null {
    const span = this.span;
    return span
      ? unionRange(this.prev.date_range, dateRangeCovering(span.min, span.max))
      : this.prev.date_range;
  }

  /** The dim_date rows this run adds to the range (none in most runs), or `undefined` before the first fact. */
  dateRows(): Iterable<WarehouseRow> | undefined {
    const range = this.dateRange();
    return range ? newDateRows(this.prev.date_range, range) : undefined;
  }

  /** The quarantine objects' contents per source table (JSON Lines), sorted by source table. */
  quarantineObjects(): { source: string; rows: number; body: Uint8Array }[] {
    return [...this.quarantine.entries()].sort().map(([source, records]) => ({
      source,
      rows: records.length,
      body: new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n") + "\n"),
    }));
  }

  /** The state after this run. */
  state(): TransformState {
    return {
      run_id: this.runId,
      reference: this.context.reference,
      date_range: this.dateRange(),
      ...(this.emitted ? { emitted: this.emitted.toJSON() } : {}),
      waiting: this.waiting,
    };
  }

  /** The transform manifest of this run, listing `files` (in load order) and the quarantine objects. */
  transformManifest(
    files: Partial<Record<WarehouseTableName, ManifestFile>>,
    quarantine: Record<string, ManifestFile>,
  ): TransformManifest {
    return runManifest(this.manifest, files, quarantine, this.dateRange());
  }
}
