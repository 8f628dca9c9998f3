/**
 * Which runs a transform must do: runs are chained, run N starting from the state written by run N's
 * `previous_run_id`. When that state is missing (an event delivered out of order, a failed transform), the
 * missing runs are transformed first, oldest first. The runner walks back one manifest at a time and asks
 * {@link chainStart} where to stop.
 *
 * @module
 */
import type { IngestManifest } from "../run/mod.ts";
import type { TransformState } from "./manifest.ts";
import { EMPTY_REFERENCE_STATE } from "./reference.ts";

/** The state before the first run. */
export const INITIAL_STATE: TransformState = {
  run_id: null,
  reference: EMPTY_REFERENCE_STATE,
  date_range: null,
  emitted: {},
};

/**
 * The state run `m` starts from, or `undefined` when its previous run has no state yet (then that run is pending
 * too and the walk goes on to it).
 *
 * @param m the ingest manifest reached in the walk
 * @param previousState the state written by `m.previous_run_id`'s transform, if it exists (unused on a first run)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chainStart, INITIAL_STATE } from "./chain.ts";
 * const first = { previous_run_id: null } as Parameters<typeof chainStart>[0];
 * const second = { previous_run_id: "r1" } as Parameters<typeof chainStart>[0];
 * assert.equal(chainStart(first, undefined), INITIAL_STATE);
 * assert.equal(chainStart(second, undefined), undefined);
 * ```
 */
export function chainStart(
  m: Pick<IngestManifest, "previous_run_id">,
  previousState: TransformState | undefined,
): TransformState | undefined {
  return m.previous_run_id === null ? INITIAL_STATE : previousState;
}
