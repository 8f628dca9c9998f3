/**
 * Moved to `lib/run/run_id.ts` (issue 13); kept for lib/transform/manifest.ts until it imports lib/run.
 *
 * @module
 */
export { isRunId, makeRunId, runIdPartition, runIdTime } from "../run/run_id.ts";
