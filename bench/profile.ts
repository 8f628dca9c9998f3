/**
 * Summarises V8 CPU profiles (`.cpuprofile`, as written by `deno run --cpu-prof`, e.g. by `deno task bench
 * --profile` into bench/results/<stamp>/): the functions with the most self time, and self time by origin (the
 * project's modules, each npm package, V8/Deno internals, idle).
 *
 *   deno run -A bench/profile.ts [--top 25] FILE_OR_DIR...
 *
 * @module
 */

/** The repository root as a file URL with a trailing slash. */
const ROOT = new URL("..", import.meta.url).href;

/** A node of a V8 CPU profile. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile (Chrome DevTools format). */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time of one function or origin. */
export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a script URL comes from: `npm:<package>`, `lib/...` (a file of this repository), `(Deno runtime)`, or the URL. */
export function origin(url: string): string {
  if (url === "") return "(V8/Deno internal)";
  const npm = /\/npm\/registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\//.exec(url) ??
    /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1]}`;
  // The repository's files, and those of the commit snapshots bench.ts runs (.local/bench-code/<commit>/).
  if (url.startsWith(ROOT)) {
    return url.slice(ROOT.length).replace(/^(?:\.local\/bench-code|bench\/results\/code)\/[0-9a-f]+\//, "");
  }
  if (url.startsWith("ext:") || url.startsWith("node:")) return "(Deno runtime)";
  return url;
}

/**
 * Self time per function (name, origin and line) and per origin, from the profile's samples and time deltas.
 *
 * @returns both lists sorted by time, largest first, and the profile's total duration in ms.
 */
export function selfTimes(
  profile: CpuProfile,
): { functions: SelfTime[]; origins: SelfTime[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // Each delta is the time before sample i; attribute it to that sample's node.
    const us = deltas[i] ?? 0;
    perNode.set(samples[i]!, (perNode.get(samples[i]!) ?? 0) + us);
  }
  const totalUs = Math.max(1, profile.endTime - profile.startTime);
  const fn = new Map<string, number>();
  const org = new Map<string, number>();
  for (const [id, us] of perNode) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const o = origin(f.url);
    const name = f.functionName === "" ? "(anonymous)" : f.functionName;
    const special = name.startsWith("(") && f.url === "";
    const key = special ? name : `${name} ${o}:${f.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const okey = special ? name : o;
    org.set(okey, (org.get(okey) ?? 0) + us);
  }
  const list = (m: Map<string, number>) =>
    [...m.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs }))
      .sort((a, b) => b.ms - a.ms);
  return { functions: list(fn), origins: list(org), totalMs: totalUs / 1000 };
}

async function files(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await Deno.stat(p);
    if (st.isDirectory) {
      for await (const e of Deno.readDir(p)) {
        if (e.isDirectory) out.push(...await files([`${p}/${e.name}`]));
        else if (e.name.endsWith(".cpuprofile")) out.push(`${p}/${e.name}`);
      }
    } else out.push(p);
  }
  return out.sort();
}

if (import.meta.main) {
  const args = [...Deno.args];
  let top = 25;
  const i = args.indexOf("--top");
  if (i >= 0) {
    top = Number(args[i + 1]);
    args.splice(i, 2);
  }
  for (const file of await files(args)) {
    const { functions, origins, totalMs } = selfTimes(
      JSON.parse(await Deno.readTextFile(file)) as CpuProfile,
    );
    const row = (x: SelfTime) =>
      `${x.ms.toFixed(0).padStart(8)} ms ${(x.share * 100).toFixed(1).padStart(5)}%  ${x.name}`;
    console.log(`\n${file}: ${(totalMs / 1000).toFixed(2)} s profiled\n-- self time by origin`);
    for (const x of origins.slice(0, 12)) console.log(row(x));
    console.log(`-- self time by function (top ${top})`);
    for (const x of functions.slice(0, top)) console.log(row(x));
  }
}
