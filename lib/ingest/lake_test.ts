import assert from "node:assert/strict";
import { MemoryStore } from "../io/memory_store.ts";
import { INGEST_POINTER_KEY, ingestManifestKey, ingestStateKey } from "../run/layout.ts";
import type { IngestManifest, IngestState, ManifestTable } from "../run/manifest.ts";
import type { SourceTableName } from "../contract/mod.ts";
import { commitIngestRun, readIngestState } from "./lake.ts";

const R1 = "20261130T090000000Z-aaaaaa";
const R2 = "20261130T090500000Z-bbbbbb";

function manifest(runId: string, previous: string | null): IngestManifest {
  return {
    kind: "ingest",
    version: 2,
    run_id: runId,
    previous_run_id: previous,
    started_at: "2026-11-30T09:00:00.000Z",
    finished_at: "2026-11-30T09:00:01.000Z",
    tables: {} as Record<SourceTableName, ManifestTable>,
  };
}
const state = (runId: string): IngestState => ({ run_id: runId, version: 2, snapshot: "10:12:", tables: {} });

Deno.test("readIngestState() of an empty zone is the initial state", async () => {
  assert.deepEqual(await readIngestState(new MemoryStore()), { run_id: null, tables: {} });
});

Deno.test("commitIngestRun() writes state, manifest and pointer; readIngestState() reads it back", async () => {
  const store = new MemoryStore();
  const key = await commitIngestRun(store, state(R1), manifest(R1, null));
  assert.equal(key, ingestManifestKey(R1));
  assert.deepEqual(await store.getJson(INGEST_POINTER_KEY), { run_id: R1 });
  assert.deepEqual(await readIngestState(store), state(R1));
});

Deno.test("readIngestState() finds a run committed after a pointer that lags, and ignores stray keys", async () => {
  const store = new MemoryStore();
  await commitIngestRun(store, state(R1), manifest(R1, null));
  // R2 died after its manifest, before its pointer
  await store.put(ingestStateKey(R2), JSON.stringify(state(R2)));
  await store.put(ingestManifestKey(R2), JSON.stringify(manifest(R2, R1)));
  await store.put("_manifests/ingest/zz-notes.txt", "not a run");
  assert.equal((await readIngestState(store)).run_id, R2);
});

Deno.test("readIngestState() names the committed run whose state object is missing", async () => {
  const store = new MemoryStore();
  await store.put(ingestManifestKey(R1), JSON.stringify(manifest(R1, null)));
  await assert.rejects(
    readIngestState(store),
    new RegExp(`Ingest state object _state/ingest/runs/${R1}.json is missing for committed run ${R1}`),
  );
});
