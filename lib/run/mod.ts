/**
 * The run module: what identifies a run and links the stages (issue 13). Run ids (`run_id.ts`), the lake's key
 * layout (`layout.ts`), the manifests and the ingest state (`manifest.ts`), the one rule for which runs are
 * pending (`pending.ts`), and the committed runs of a zone (`list.ts`).
 *
 * @example
 * ```ts
 * import { earlierPending, ingestManifestKey, makeRunId, type RunLink } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const first = makeRunId(Date.UTC(2026, 10, 30, 9), "aaaaaa");
 * const second = makeRunId(Date.UTC(2026, 10, 30, 9, 5), "bbbbbb", first);
 * assert.equal(ingestManifestKey(second), "_manifests/ingest/20261130T090500000Z-bbbbbb.json");
 * const run: RunLink = { run_id: second, previous_run_id: first };
 * const pending = await earlierPending(run, {
 *   isDone: () => false,
 *   manifest: (id): RunLink => ({ run_id: id, previous_run_id: null }),
 * });
 * assert.deepEqual(pending.map((m) => m.run_id), [first]);
 * ```
 *
 * @module
 */
export * from "./run_id.ts";
export * from "./layout.ts";
export * from "./manifest.ts";
export * from "./pending.ts";
export * from "./list.ts";
