/**
 * `etl run|ingest|transform|load`: the stage commands, with progress on stderr and a process that ends at once,
 * naming the stage, run and table, when a database goes away or anything fails outside a promise chain.
 *
 * @module
 */
import { ingest } from "../ingest.ts";
import { setConnectionLostHandler } from "../../lib/io/pg.ts";
import { ProgressReporter } from "../../lib/io/progress.ts";
import { UsageError } from "../../lib/io/cli.ts";
import { runCommand } from "./run.ts";
import { refuseOverOpenChunkedRun } from "./chunked_guard.ts";
import { bucketFromEnv } from "../config.ts";

/** Runs one stage command (`run`, `ingest`, `transform`, `load`); returns the exit code. */
export async function stageCommand(command: string, values: Record<string, unknown>): Promise<number> {
  // The stages report progress on stderr: a live line on a terminal, a line every 3 s otherwise (C22).
  const progress = new ProgressReporter().start();
  endOnFailure(progress);
  try {
    return await stage(command, values, progress);
  } finally {
    progress.stop();
  }
}

/**
 * A database that goes away mid-run ends the process at once, naming it and where the run was (C2, C3):
 * postgres.js can otherwise leave the statement pending for ever, or throw from inside its socket code.
 */
function endOnFailure(progress: ProgressReporter): void {
  const where = () => {
    const at = progress.current;
    return at ? ` during ${at.stage} of run ${at.runId ?? "?"} at ${at.table}` : "";
  };
  const die = (message: string) => {
    progress.stop();
    console.error(`Error: ${message}`);
    Deno.exit(1);
  };
  setConnectionLostHandler(({ label, host, port, error }) =>
    die(
      `the ${label} PostgreSQL at ${host}:${port} closed the connection${where()}` +
        `${error ? ` (${error.message})` : ""}; nothing of the interrupted stage was committed, ` +
        `run "deno task etl run" again once the database is back`,
    )
  );
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    die(`${(e.error as Error)?.message ?? e.message}${where()}`);
  });
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    die(`${(e.reason as Error)?.message ?? String(e.reason)}${where()}`);
  });
}

async function stage(
  command: string,
  values: Record<string, unknown>,
  progress: ProgressReporter,
): Promise<number> {
  switch (command) {
    case "run":
    case "ingest": {
      const ingestion = bucketFromEnv("INGESTION_BUCKET", "ingest");
      try {
        await refuseOverOpenChunkedRun(ingestion, command, values["abandon-chunked"] === true);
      } finally {
        ingestion.client.destroy();
      }
      if (command === "run") await runCommand(progress);
      else console.log(JSON.stringify(await ingest(progress.callback)));
      return 0;
    }
    case "transform":
    case "load": {
      const runId = values.run as string | undefined;
      if (!runId) throw new UsageError(`etl ${command} needs --run RUN_ID (etl ${command} --help)`);
      const mod = command === "transform" ? await import("../transform.ts") : await import("../load.ts");
      const fn = "transform" in mod ? mod.transform : mod.load;
      console.log(JSON.stringify(await fn(runId, progress.callback)));
      return 0;
    }
  }
  return 2;
}
