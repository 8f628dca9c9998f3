/**
 * `etl run` and `etl ingest` refuse to start while a chunked first run is planned and not committed (README, "A
 * first run past one Lambda"): an ordinary run would then read ToteSys whole, in one process, and the chunked run
 * could never commit. `--abandon-chunked` runs anyway (the plan is then overtaken: nothing needs deleting).
 *
 * @module
 */
import type { ObjectStore } from "../../lib/io/object_store.ts";
import { UsageError } from "../../lib/io/cli.ts";
import { committedRunIds } from "../../lib/run/mod.ts";
import { openChunkedRuns } from "../../lib/status/chunked.ts";
import { capturePosition } from "../../lib/ingest/capture.ts";
import { readIngestState } from "../../lib/ingest/lake.ts";

/**
 * Throws when a chunked run can still commit, unless `abandon`. A chunked run is only planned while the capture
 * has no position, and any committed run gives it one: so once the capture has a position (every run but the
 * first), the ingest state alone answers, without listing the chunked runs' markers, which stay after they commit.
 *
 * @throws UsageError (exit 2) naming the chunked run, its chunks done, and the two ways on.
 */
export async function refuseOverOpenChunkedRun(
  ingestion: ObjectStore,
  command: string,
  abandon: boolean,
): Promise<void> {
  if (abandon || capturePosition(await readIngestState(ingestion))) return;
  if ((await ingestion.list("_state/ingest/chunked/")).length === 0) return;
  const open = (await openChunkedRuns(ingestion, await committedRunIds(ingestion, "ingest")))
    .filter((r) => r.overtakenBy === null);
  const r = open.at(-1);
  if (!r) return;
  throw new UsageError(
    `Chunked run ${r.runId} is planned and not committed (${r.done} of ${r.chunks} chunks done): an ordinary ` +
      `run now would read ToteSys whole and the chunked run could never commit. Finish it first with ` +
      `"deno task chunks run --resume ${r.runId}", or give it up (nothing needs deleting) with ` +
      `"deno task etl ${command} --abandon-chunked"`,
  );
}
