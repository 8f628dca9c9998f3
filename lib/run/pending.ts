/**
 * THE rule for which runs are pending: runs are applied in run order, so a stage applying run N first applies the
 * earlier runs N follows that it has not applied yet, oldest first. Each manifest names the run it follows
 * (`previous_run_id`), so the earlier runs are found by walking those links back from N until a run the stage has
 * already applied, or the first run.
 *
 * Why (docs/design.md section 5): facts must find the dimension rows of earlier runs, `*_record_id` follows
 * capture order, and a transform starts from its previous run's state; so runs delivered out of order (late
 * events, a manual re-run, a run left half-way) end with the same lake and warehouse as runs in order.
 *
 * Used by the load (done = loaded), the transform (done = its state written) and `etl run` (every committed
 * ingest run not loaded, {@link pendingRunIds}).
 *
 * @module
 */

/** What the rule needs of a manifest: its run and the run it follows (null for the first run). */
export interface RunLink {
  /** The run's id (lib/run/run_id.ts). */
  run_id: string;
  /** The id of the run this one follows, or null for the first run. */
  previous_run_id: string | null;
}

/** The lookups the rule walks with (sync or async: a map in a test, the lake and the warehouse in a runner). */
export interface RunChain<M extends RunLink> {
  /** Whether the stage has already applied run `id` (then it and the runs before it are not pending). */
  isDone(id: string): boolean | Promise<boolean>;
  /**
   * The manifest of run `id`, which `follower` follows and which is not done. Throw (naming both runs) when there
   * is none: the chain has a gap the stage cannot fill.
   */
  manifest(id: string, follower: string): M | Promise<M>;
}

/**
 * The runs `run` follows that are not done yet, oldest first: apply these, then `run`.
 *
 * @returns `[]` when the run before `run` is done or `run` is the first run.
 * @throws whatever `chain.manifest` throws for a missing run; Error naming the run when the links form a loop
 *   (a tampered lake).
 *
 * @example
 * ```ts
 * import { earlierPending } from "./pending.ts";
 * import assert from "node:assert/strict";
 *
 * const runs = new Map([
 *   ["a", { run_id: "a", previous_run_id: null }],
 *   ["b", { run_id: "b", previous_run_id: "a" }],
 *   ["c", { run_id: "c", previous_run_id: "b" }],
 *   ["d", { run_id: "d", previous_run_id: "c" }],
 * ]);
 * const loaded = new Set(["a"]);
 * const chain = {
 *   isDone: (id: string) => loaded.has(id),
 *   manifest: (id: string) => runs.get(id)!,
 * };
 * const pending = await earlierPending(runs.get("d")!, chain);
 * assert.deepEqual(pending.map((m) => m.run_id), ["b", "c"]); // then d itself
 * ```
 */
export async function earlierPending<M extends RunLink>(run: M, chain: RunChain<M>): Promise<M[]> {
  const earlier: M[] = [];
  const visited = new Set([run.run_id]);
  let follower = run.run_id;
  for (let prev = run.previous_run_id; prev !== null;) {
    if (await chain.isDone(prev)) break;
    if (visited.has(prev)) throw new Error(`Run ${follower} follows run ${prev}, which follows it: a loop`);
    visited.add(prev);
    const m = await chain.manifest(prev, follower);
    earlier.push(m);
    follower = prev;
    prev = m.previous_run_id;
  }
  return earlier.reverse();
}

/**
 * Every committed run not done yet, in run order (run ids sort in time order): what `etl run` completes, a run
 * left half-way earlier included.
 *
 * @param committed run ids of committed manifests, in any order (duplicates are dropped)
 * @param done run ids the stage has applied
 *
 * @example
 * ```ts
 * import { pendingRunIds } from "./pending.ts";
 * import assert from "node:assert/strict";
 *
 * const committed = ["20261130T090000000Z-aaaaaa", "20261130T080000000Z-bbbbbb", "20261130T100000000Z-cccccc"];
 * const loaded = new Set(["20261130T080000000Z-bbbbbb"]);
 * assert.deepEqual(pendingRunIds(committed, loaded), [
 *   "20261130T090000000Z-aaaaaa",
 *   "20261130T100000000Z-cccccc",
 * ]);
 * ```
 */
export function pendingRunIds(committed: Iterable<string>, done: ReadonlySet<string>): string[] {
  return [...new Set(committed)].filter((id) => !done.has(id)).sort();
}
