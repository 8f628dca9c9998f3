/**
 * The ingestion zone's side of a run (IO over the {@link ObjectStore} interface): reading the latest committed
 * state, and committing a run as state, manifest (the commit marker), then pointer (docs/design.md section 3;
 * keys in lib/run/layout.ts).
 *
 * @module
 */
import type { ObjectStore } from "../io/object_store.ts";
import { INGEST_POINTER_KEY, ingestManifestKey, ingestStateKey } from "../run/layout.ts";
import { committedRunIds } from "../run/list.ts";
import { type IngestManifest, type IngestState, INITIAL_INGEST_STATE } from "../run/manifest.ts";
import { latestRunId } from "./capture.ts";

/**
 * Reads the state of the latest committed run: the pointer, then any newer manifest listed after it.
 *
 * @returns the state, or the initial state before the first run.
 * @throws Error when a committed manifest's state object is missing (the zone was tampered with).
 */
export async function readIngestState(bucket: ObjectStore): Promise<IngestState> {
  const pointer = await bucket.getJson<{ run_id: string }>(INGEST_POINTER_KEY);
  // Only well-formed manifest keys count: a stray object under the prefix must not reset the state.
  const newer = await committedRunIds(bucket, "ingest", pointer?.run_id);
  const latest = latestRunId(pointer?.run_id, newer);
  if (!latest) return INITIAL_INGEST_STATE;
  const state = await bucket.getJson<IngestState>(ingestStateKey(latest));
  if (!state) {
    throw new Error(`Ingest state object ${ingestStateKey(latest)} is missing for committed run ${latest}`);
  }
  return state;
}

/**
 * Commits a run written to the ingestion zone: its state, then its manifest (the commit marker), then the pointer.
 *
 * @returns the manifest's key.
 */
export async function commitIngestRun(
  bucket: ObjectStore,
  state: IngestState,
  manifest: IngestManifest,
): Promise<string> {
  await bucket.put(ingestStateKey(manifest.run_id), JSON.stringify(state));
  const manifestKey = ingestManifestKey(manifest.run_id);
  await bucket.put(manifestKey, JSON.stringify(manifest, null, 1));
  await bucket.put(INGEST_POINTER_KEY, JSON.stringify({ run_id: manifest.run_id }));
  return manifestKey;
}
