import assert from "node:assert/strict";
import { didYouMean, parseCommandLine, UsageError } from "./cli.ts";

Deno.test("didYouMean: the closest name within a third of the word's length, else nothing", () => {
  const commands = ["run", "ingest", "transform", "load", "reconcile", "rebuild", "status", "report"];
  assert.equal(didYouMean("reconcle", commands), ' (did you mean "reconcile"?)');
  assert.equal(didYouMean("staus", commands), ' (did you mean "status"?)');
  assert.equal(didYouMean("rn", commands), ' (did you mean "run"?)');
  assert.equal(didYouMean("transfrom", commands), ' (did you mean "transform"?)');
  assert.equal(didYouMean("deploy", commands), "");
  assert.equal(didYouMean("", commands), "");
});

Deno.test("parseCommandLine: an unknown option names the closest known one", () => {
  const options = { runs: { type: "string" as const }, json: { type: "boolean" as const } };
  assert.throws(
    () => parseCommandLine("etl status", ["--rns", "3"], options),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message ===
        `Unknown option '--rns' (did you mean "--runs"?) (deno task etl status --help shows the options)`,
  );
  assert.throws(
    () => parseCommandLine("etl status", ["--verbose-mode"], options),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === "Unknown option '--verbose-mode' (deno task etl status --help shows the options)",
  );
});
