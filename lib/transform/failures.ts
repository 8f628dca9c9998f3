/**
 * Bad rows under the `fail` policy (lib/transform/bad_row.ts): kept until the end of the run, then either the
 * run stops naming the first, or, when a later committed ingest run already carries a newer version of the row
 * (the fix made at the source) or its deletion, the row is quarantined and the pipeline goes on. Pure: the runner
 * reads the later runs and feeds them to {@link SupersedingRuns}.
 *
 * @module
 */
import { SOURCE_TABLES, type SourceTableName } from "../contract/mod.ts";
import { hasId } from "../id_ranges.ts";
import type { IngestManifest } from "../run/mod.ts";
import { type BadRowError, type QuarantineRecord, quarantineRecord } from "./bad_row.ts";
import type { SourceRow } from "./rules/mod.ts";

/** A bad row met under the `fail` policy. */
export interface Failure {
  /** The source table whose row failed. */
  source: SourceTableName;
  error: BadRowError;
  /** The source row as ingested. */
  row: SourceRow;
}

/**
 * The source rows whose newer version fixes a failure: the failed row itself, and the row its error names when
 * that is another table's (a department's NULL location failing its staff's dim_staff rows): a later version
 * of the department re-emits every staff row of it.
 */
export function failureKeys(f: Failure): [SourceTableName, number][] {
  const keys: [SourceTableName, number][] = [];
  const pk = f.row[SOURCE_TABLES[f.source].pk];
  if (typeof pk === "number") keys.push([f.source, pk]);
  const named = f.error.table as SourceTableName;
  if (named !== f.source && named in SOURCE_TABLES && typeof f.error.key === "number") {
    keys.push([named, f.error.key]);
  }
  return keys;
}

/**
 * The first later run that supersedes each failed source row (a newer version or a deletion), built from the
 * later runs in run order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SupersedingRuns } from "./failures.ts";
 * import { BadRowError } from "./bad_row.ts";
 * const row = { payment_id: 7, paid: "t" };
 * const runs = new SupersedingRuns([{ source: "payment", row, error: new BadRowError("payment", 7, "paid", "t", "is not a boolean") }]);
 * runs.noteRow("run2", "payment", { payment_id: 7, paid: true });
 * assert.equal(runs.found.get("payment|7"), "run2");
 * ```
 */
export class SupersedingRuns {
  /** The failed keys per source table. */
  readonly wanted = new Map<SourceTableName, Set<number>>();
  /** `table|key` → the run id that supersedes it. */
  readonly found = new Map<string, string>();

  constructor(failures: readonly Failure[]) {
    for (const f of failures) {
      for (const [table, pk] of failureKeys(f)) {
        this.wanted.set(table, (this.wanted.get(table) ?? new Set()).add(pk));
      }
    }
  }

  /** Notes a later run's deletions: a deleted row will never come back fixed, so it supersedes too. */
  noteDeletions(later: IngestManifest): void {
    for (const [table, pks] of this.wanted) {
      for (const pk of pks) {
        if (hasId(later.tables[table]?.deleted ?? [], pk)) this.note(table, pk, later.run_id);
      }
    }
  }

  /** Notes a row of a later run's `table` object. */
  noteRow(runId: string, table: SourceTableName, row: SourceRow): void {
    const pk = row[SOURCE_TABLES[table].pk] as number;
    if (this.wanted.get(table)?.has(pk)) this.note(table, pk, runId);
  }

  private note(table: SourceTableName, pk: number, runId: string): void {
    if (!this.found.has(`${table}|${pk}`)) this.found.set(`${table}|${pk}`, runId);
  }

  /** The run that supersedes a failure, if any. */
  by(f: Failure): string | undefined {
    return failureKeys(f).map(([t, k]) => this.found.get(`${t}|${k}`)).find((r) => r !== undefined);
  }
}

/**
 * Settles a run's failures: the quarantine records of those a later run supersedes (their reason says which run),
 * in failure order.
 *
 * @throws BadRowError the first failure no later run supersedes (its message counting the others of the run).
 */
export function settleFailures(
  runId: string,
  failures: readonly Failure[],
  superseding: SupersedingRuns,
): { source: SourceTableName; record: QuarantineRecord }[] {
  const open = failures.filter((f) => superseding.by(f) === undefined);
  if (open.length > 0) {
    const first = open[0]!.error;
    if (open.length > 1) first.message += ` (and ${open.length - 1} more bad row(s) in run ${runId})`;
    throw first;
  }
  return failures.map((f) => {
    const record = quarantineRecord(f.error, f.row);
    record.reason += `; superseded by run ${superseding.by(f)}`;
    return { source: f.source, record };
  });
}
