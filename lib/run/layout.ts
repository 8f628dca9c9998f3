/**
 * The lake's key layout: where each stage's data, manifests and state live (docs/design.md sections 3 and 4).
 * Every key is relative to its bucket (or to the store's root).
 *
 * Ingestion zone:
 * - data: `<source_table>/<yyyy>/<mm>/<dd>/<run_id>.jsonl`
 * - state after a run: `_state/ingest/runs/<run_id>.json` (written before the manifest)
 * - manifest (commit marker, written last): `_manifests/ingest/<run_id>.json`
 * - pointer to the latest committed run: `_state/ingest/current.json` (written after the manifest; when it lags
 *   behind because a run died after its manifest, the newer manifest is found by listing after the pointer)
 *
 * Processed zone:
 * - data: `<warehouse_table>/<yyyy>/<mm>/<dd>/<run_id>.parquet` (same run id as the ingest run)
 * - quarantine: `_quarantine/<source_table>/<yyyy>/<mm>/<dd>/<run_id>.jsonl`
 * - state after a run: `_state/transform/runs/<run_id>.json`
 * - manifest (commit marker, written last, triggers the load): `_manifests/transform/<run_id>.json`
 *
 * The `yyyy/mm/dd` partition is the run id's UTC date ({@link runIdPartition}). Manifests sort in run order,
 * because run ids do.
 *
 * @module
 */
import { runIdPartition } from "./run_id.ts";

/** The stages that write manifests: `ingest` in the ingestion zone, `transform` in the processed zone. */
export type ManifestKind = "ingest" | "transform";

/** Prefix of ingest manifests. */
export const INGEST_MANIFEST_PREFIX = "_manifests/ingest/";
/** Prefix of transform manifests. */
export const TRANSFORM_MANIFEST_PREFIX = "_manifests/transform/";
/** The pointer to the latest committed ingest run (`{"run_id": ...}`). */
export const INGEST_POINTER_KEY = "_state/ingest/current.json";

/**
 * Prefix of the manifests of `kind` (`_manifests/<kind>/`).
 *
 * @example
 * ```ts
 * import { manifestPrefix } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(manifestPrefix("transform"), "_manifests/transform/");
 * ```
 */
export function manifestPrefix(kind: ManifestKind): string {
  return kind === "ingest" ? INGEST_MANIFEST_PREFIX : TRANSFORM_MANIFEST_PREFIX;
}

/**
 * Key of a source table's data object for a run (JSON Lines).
 * @throws Error when `runId` is malformed.
 *
 * @example
 * ```ts
 * import { ingestObjectKey } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   ingestObjectKey("sales_order", "20261130T084501123Z-0a1b2c"),
 *   "sales_order/2026/11/30/20261130T084501123Z-0a1b2c.jsonl",
 * );
 * ```
 */
export function ingestObjectKey(table: string, runId: string): string {
  return `${table}/${runIdPartition(runId)}/${runId}.jsonl`;
}

/**
 * Key of a run's ingest manifest (`_manifests/ingest/<run_id>.json`).
 *
 * @example
 * ```ts
 * import { ingestManifestKey, ingestStateKey } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const id = "20261130T084501123Z-0a1b2c";
 * assert.equal(ingestManifestKey(id), "_manifests/ingest/20261130T084501123Z-0a1b2c.json");
 * assert.equal(ingestStateKey(id), "_state/ingest/runs/20261130T084501123Z-0a1b2c.json");
 * ```
 */
export function ingestManifestKey(runId: string): string {
  return `${INGEST_MANIFEST_PREFIX}${runId}.json`;
}

/** Key of the capture state written by an ingest run (`_state/ingest/runs/<run_id>.json`). */
export function ingestStateKey(runId: string): string {
  return `_state/ingest/runs/${runId}.json`;
}

/**
 * Key of a warehouse table's Parquet file for a run.
 * @throws Error when `runId` is malformed.
 *
 * @example
 * ```ts
 * import { parquetKey, transformManifestKey } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const id = "20261130T084501123Z-0a1b2c";
 * assert.equal(parquetKey("fact_sales_order", id), "fact_sales_order/2026/11/30/20261130T084501123Z-0a1b2c.parquet");
 * assert.equal(transformManifestKey(id), "_manifests/transform/20261130T084501123Z-0a1b2c.json");
 * ```
 */
export function parquetKey(table: string, runId: string): string {
  return `${table}/${runIdPartition(runId)}/${runId}.parquet`;
}

/**
 * Key of a source table's quarantine object for a run (JSON Lines).
 * @throws Error when `runId` is malformed.
 */
export function quarantineKey(sourceTable: string, runId: string): string {
  return `_quarantine/${sourceTable}/${runIdPartition(runId)}/${runId}.jsonl`;
}

/** Key of a run's transform manifest (`_manifests/transform/<run_id>.json`). */
export function transformManifestKey(runId: string): string {
  return `${TRANSFORM_MANIFEST_PREFIX}${runId}.json`;
}

/** Key of the state written by a transform run (`_state/transform/runs/<run_id>.json`). */
export function transformStateKey(runId: string): string {
  return `_state/transform/runs/${runId}.json`;
}

/**
 * The run id of a manifest key (ingest or transform), or undefined when the key is not one: a stray object under
 * a manifest prefix is not a run. (One parameter, so it can be passed to `Array.map`.)
 *
 * @example
 * ```ts
 * import { runIdOfManifestKey } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const id = "20261130T084501123Z-0a1b2c";
 * assert.equal(runIdOfManifestKey(`_manifests/ingest/${id}.json`), id);
 * assert.equal(runIdOfManifestKey(`_manifests/transform/${id}.json`), id);
 * assert.equal(runIdOfManifestKey("_manifests/ingest/notes.txt"), undefined);
 * ```
 */
export function runIdOfManifestKey(key: string): string | undefined {
  return MANIFEST_KEY_RE.exec(key)?.[2];
}

/**
 * The run id of a manifest key of `kind` only, or undefined (another kind's manifest, or not a manifest).
 *
 * @example
 * ```ts
 * import { manifestRunId } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const key = "_manifests/transform/20261130T084501123Z-0a1b2c.json";
 * assert.equal(manifestRunId(key, "transform"), "20261130T084501123Z-0a1b2c");
 * assert.equal(manifestRunId(key, "ingest"), undefined);
 * ```
 */
export function manifestRunId(key: string, kind: ManifestKind): string | undefined {
  const m = MANIFEST_KEY_RE.exec(key);
  return m && m[1] === kind ? m[2] : undefined;
}

const MANIFEST_KEY_RE = /^_manifests\/(ingest|transform)\/([0-9A-Za-z_-]+)\.json$/;
