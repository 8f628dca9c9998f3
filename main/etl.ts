/**
 * `deno task etl run|ingest|transform|load|reconcile|rebuild|status|report`: the pipeline from the command line,
 * against the configured endpoints (environment, or .local/env written by `make local-run`). One module per
 * command under main/etl/:
 *
 * - `run` (run.ts, run_report.ts): ingest, then transform and load every run not yet transformed or loaded (so a
 *   run that failed half-way earlier is completed), then a short report.
 * - `ingest`; `transform --run ID`; `load --run ID` (stage.ts): one stage.
 * - `report [--out PATH]` (report.ts): one self-contained HTML page of sales and pipeline health (lib/report/).
 * - `reconcile` (reconcile.ts): compare ToteSys with the warehouse, naming every differing key (exit 1 when any).
 * - `rebuild` (rebuild.ts), `status` (status.ts).
 * - every command: `--help` prints its usage (commands.ts) and does nothing; an unknown flag exits 2 naming it.
 *
 * Exits non-zero on any failure, after the stage rolled back (see each stage).
 *
 * @module
 */
import { setLogSink } from "../lib/io/log.ts";
import {
  didYouMean,
  exitCodeOf,
  parseCommandLine,
  UsageError,
  wholeNumber,
  withHelpLine,
} from "../lib/io/cli.ts";
import { loadLocalEnvIfUnconfigured } from "./local_env.ts";
import { COMMANDS, USAGE } from "./etl/commands.ts";
import { stageCommand } from "./etl/stage.ts";
import { reconcileCommand } from "./etl/reconcile.ts";
import { rebuildCommand } from "./etl/rebuild.ts";
import { reportCommand } from "./etl/report.ts";
import { statusCommand } from "./etl/status.ts";

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    throw new UsageError(
      `Unknown command "${command}"${
        didYouMean(command, Object.keys(COMMANDS))
      }; run "deno task etl --help" for the commands`,
    );
  }
  const { help, values } = parseCommandLine(`etl ${command}`, argv.slice(1), spec.options);
  if (command === "status") wholeNumber("runs", values.runs, 10); // a bad value before anything is read
  if (help) {
    console.log(withHelpLine(spec.usage));
    return 0;
  }
  loadLocalEnvIfUnconfigured();
  if (!values.verbose && ["run", "reconcile", "status", "rebuild"].includes(command)) {
    setLogSink(() => {});
  }
  switch (command) {
    case "reconcile":
      return await reconcileCommand(
        values.table as string[] | undefined,
        Boolean(values.json),
        Boolean(values.repair),
      );
    case "rebuild":
      return await rebuildCommand((values.into as string | undefined) ?? "rebuild/");
    case "report":
      return await reportCommand((values.out as string | undefined) ?? ".local/report/index.html");
    case "status":
      return await statusCommand(wholeNumber("runs", values.runs, 10), Boolean(values.json));
    default:
      return await stageCommand(command, values);
  }
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (err) {
    console.error(`Error: ${(err as Error).message}`);
    code = Deno.args[0] === "reconcile" ? 2 : exitCodeOf(err);
  }
  Deno.exit(code);
}
