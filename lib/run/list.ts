/**
 * The committed runs of a zone: the run ids of its manifests, read by listing (the manifests are the commit
 * markers, so a run without one is not committed). Only well-formed manifest keys count: a stray object under a
 * manifest prefix is not a run.
 *
 * @module
 */
import type { ObjectStore } from "../io/object_store.ts";
import { type ManifestKind, manifestPrefix, manifestRunId } from "./layout.ts";

/**
 * The run ids of the committed manifests of `kind` in `store`, in run order (key order is run order).
 *
 * @param after only the runs after this run id (exclusive), for a listing that resumes from a known run
 *
 * @example
 * ```ts
 * import { committedRunIds } from "./list.ts";
 * import { MemoryStore } from "../io/memory_store.ts";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryStore();
 * for (const id of ["20261130T090500000Z-bbbbbb", "20261130T090000000Z-aaaaaa"]) {
 *   await store.put(`_manifests/ingest/${id}.json`, "{}");
 * }
 * await store.put("_manifests/ingest/README.txt", "not a run");
 * assert.deepEqual(await committedRunIds(store, "ingest"), [
 *   "20261130T090000000Z-aaaaaa",
 *   "20261130T090500000Z-bbbbbb",
 * ]);
 * assert.deepEqual(await committedRunIds(store, "ingest", "20261130T090000000Z-aaaaaa"), [
 *   "20261130T090500000Z-bbbbbb",
 * ]);
 * assert.deepEqual(await committedRunIds(store, "transform"), []);
 * ```
 */
export async function committedRunIds(
  store: Pick<ObjectStore, "list">,
  kind: ManifestKind,
  after?: string,
): Promise<string[]> {
  const prefix = manifestPrefix(kind);
  const keys = await store.list(prefix, after === undefined ? undefined : `${prefix}${after}.json`);
  return keys.map((key) => manifestRunId(key, kind)).filter((id): id is string => id !== undefined);
}
