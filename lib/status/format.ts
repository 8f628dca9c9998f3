/**
 * The text form of `etl status`.
 *
 * @module
 */
import type { PipelineStatus } from "./types.ts";
import { formatChunkedRuns } from "./chunked.ts";

/** Runs ingested but not loaded as one short phrase: a count and the first and last ids (C11). */
export function runSpan(count: number, first: string | null, last: string | null): string {
  if (count === 0 || !first) return "none";
  return count === 1 ? `1 run (${first})` : `${count} runs (${first} .. ${last})`;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const dur = (ms: number | null) => ms === null ? "-" : `${(ms / 1000).toFixed(1)} s`;

/** Seconds as a short human duration: `0 s`, `42 s`, `3 min`, `5 h`, `2 d`. */
export function humanSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** The runs table and the pending line. */
function formatRuns(s: PipelineStatus): string[] {
  const out: string[] = [];
  out.push(`Runs: ${s.totalRuns} ingested; last ${s.runs.length}, newest first`);
  if (s.runs.length > 0) {
    out.push(
      `  ${"run".padEnd(28)}${"stage".padEnd(12)}${pad("ingested", 9)}${pad("deleted", 8)}${
        pad("parquet", 9)
      }${pad("loaded", 8)}${pad("quar.", 6)}${pad("ingest", 9)}${pad("load", 9)}  outcome`,
    );
    for (const r of s.runs) {
      const outcome = r.stage === "loaded"
        ? `loaded ${r.loadedAt ?? ""}`.trim()
        : r.stage === "failed"
        ? `load failed: ${r.error ?? "(no message)"}`
        : r.stage === "transformed"
        ? "load pending"
        : "transform pending (or failed: etl transform --run ID shows why)";
      out.push(
        `  ${r.runId.padEnd(28)}${r.stage.padEnd(12)}${pad(r.ingestedRows, 9)}${pad(r.deletedRows, 8)}${
          pad(r.transformedRows ?? "-", 9)
        }${pad(r.loadedRows ?? "-", 8)}${pad(r.quarantinedRows, 6)}${pad(dur(r.ingestMs), 9)}${
          pad(dur(r.loadMs), 9)
        }  ${outcome}`,
      );
    }
  }
  out.push(
    `Pending (ingested, not loaded): ${runSpan(s.pending.count, s.pending.first, s.pending.last)}` +
      (s.pending.failed > 0 ? `, ${s.pending.failed} with a failed load` : "") +
      (s.pending.count > 0 ? `; "deno task etl run" completes them` : ""),
  );
  out.push(...formatChunkedRuns(s.chunked ?? []));
  return out;
}

/** The per-table freshness table, waiting rows and quarantine objects. */
function formatTables(s: PipelineStatus): string[] {
  const out: string[] = [];
  out.push(
    `${"source table".padEnd(16)}${"newest in ToteSys".padEnd(28)}${"newest loaded".padEnd(28)}${
      pad("behind", 8)
    }${pad("quar.", 7)}${pad("waiting", 8)}  capture position`,
  );
  for (const t of s.tables) {
    const wm = t.watermark === null
      ? "-"
      : t.watermark.length > 40
      ? `${t.watermark.slice(0, 37)}...`
      : t.watermark;
    out.push(
      `${t.table.padEnd(16)}${(t.newestInSource ?? "-").padEnd(28)}${(t.newestLoaded ?? "-").padEnd(28)}${
        pad(t.lagSeconds === null ? "-" : humanSeconds(t.lagSeconds), 8)
      }${pad(t.quarantined, 7)}${pad(t.waiting, 8)}  ${wm}`,
    );
  }
  out.push(
    "(newest = latest last_updated; behind = newest in ToteSys at the last capture minus newest loaded; " +
      "department's newest loaded is what the latest loaded run captured)",
  );
  if (s.waiting.length > 0) {
    out.push("");
    out.push("Waiting (facts held back until the row they reference arrives):");
    for (const w of s.waiting) out.push(`  ${w.source} ${w.column}=${JSON.stringify(w.value)}: ${w.reason}`);
  }
  if (s.quarantineObjects.length > 0) {
    const shown = s.quarantineObjects.slice(-3).join(", ");
    out.push(`Quarantine objects: ${s.quarantineObjects.length} (latest: ${shown})`);
  }
  return out;
}

/** The warehouse and last-reconcile lines. */
function formatReconcile(s: PipelineStatus): string[] {
  const out: string[] = [];
  if (!s.warehouseMigrated) out.push("Warehouse: not migrated yet (no load has run)");
  const r = s.reconcile;
  if (!r) {
    out.push(`Last reconcile: none recorded ("deno task etl reconcile" compares ToteSys with the warehouse)`);
  } else if (r.outcome === "failed") out.push(`Last reconcile: ${r.finishedAt}, failed: ${r.error}`);
  else if (r.outcome === "equal") out.push(`Last reconcile: ${r.finishedAt}, the warehouse equalled ToteSys`);
  else {
    const which = r.tables.filter((t) => t.differences > 0).map((t) =>
      `${t.table} ${t.differences} (keys ${t.keys.slice(0, 5).join(", ")}${t.keys.length > 5 ? ", ..." : ""})`
    );
    out.push(`Last reconcile: ${r.finishedAt}, ${r.differences} differing key(s): ${which.join("; ")}`);
  }
  return out;
}

/** The status as the text `etl status` prints. */
export function formatStatus(s: PipelineStatus): string {
  return [...formatRuns(s), "", ...formatTables(s), "", ...formatReconcile(s)].join("\n");
}
