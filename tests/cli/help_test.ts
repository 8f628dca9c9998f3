/**
 * Every command's `--help` prints its usage, naming each option, exits 0 and does nothing (C12, C13); an unknown
 * flag exits 2 with one line naming it (C14, C15); `--flag=value` is understood. Each command runs as a child
 * process pointed at fresh resources, which are checked to be untouched afterwards.
 *
 * @module
 */
import assert from "node:assert/strict";
import { freshBucket, freshDatabase, serviceEnv } from "../harness.ts";
import { ROOT } from "../adversarial/_helpers.ts";

/** Runs `deno run -A <module> <args>` with `env` (nothing else inherited but PATH and HOME). */
async function child(
  module: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", module, ...args],
    cwd: ROOT,
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "/tmp", NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Each command: its module and arguments, and the options its usage must name. */
const COMMANDS: { name: string; module: string; args: string[]; options: string[] }[] = [
  { name: "etl run", module: "main/etl.ts", args: ["run"], options: ["--verbose"] },
  { name: "etl ingest", module: "main/etl.ts", args: ["ingest"], options: [] },
  { name: "etl transform", module: "main/etl.ts", args: ["transform"], options: ["--run"] },
  { name: "etl load", module: "main/etl.ts", args: ["load"], options: ["--run"] },
  { name: "etl reconcile", module: "main/etl.ts", args: ["reconcile"], options: ["--table", "--json"] },
  { name: "etl status", module: "main/etl.ts", args: ["status"], options: ["--runs", "--json"] },
  {
    name: "seed",
    module: "scripts/seed.ts",
    args: [],
    options: ["--orders", "--seed", "--dump", "--database-url", "--if-empty", "--create-schema", "--json"],
  },
  {
    name: "simulate",
    module: "scripts/simulate.ts",
    args: [],
    options: ["--changes", "--seed", "--database-url", "--json"],
  },
  { name: "migrate", module: "scripts/migrate.ts", args: [], options: ["--list"] },
  { name: "scratch-db", module: "scripts/scratch_db.ts", args: [], options: [] },
  {
    name: "chunks",
    module: "main/chunks_cli.ts",
    args: [],
    options: ["--workers", "--chunk-keys", "--resume", "--retries"],
  },
  {
    name: "sql",
    module: "scripts/sql.ts",
    args: [],
    options: ["--totesys", "--limit", "--csv", "--json"],
  },
  {
    name: "bench",
    module: "bench/bench.ts",
    args: [],
    options: [
      "--scales",
      "--repeat",
      "--commit",
      "--working-tree",
      "--write",
      "--render",
      "--keep",
      "--chunked",
      "--chunk-keys",
    ],
  },
];

Deno.test("--help of every command prints each option, exits 0 and touches nothing", async () => {
  const src = await freshDatabase("helps");
  const wh = await freshDatabase("helpw");
  const ingestion = await freshBucket("helpi");
  const processed = await freshBucket("helpp");
  try {
    const env = {
      TOTESYS_DATABASE_URL: src.url,
      WAREHOUSE_DATABASE_URL: wh.url,
      INGESTION_BUCKET: ingestion.name,
      PROCESSED_BUCKET: processed.name,
      AWS_ENDPOINT_URL: serviceEnv("AWS_ENDPOINT_URL")!,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const results = await Promise.all(
      COMMANDS.flatMap((c) => [
        child(c.module, [...c.args, "--help"], env),
        child(c.module, [...c.args, "-h"], env),
      ]),
    );
    COMMANDS.forEach((c, i) => {
      for (const r of [results[2 * i]!, results[2 * i + 1]!]) {
        assert.equal(r.code, 0, `${c.name} --help: exit ${r.code}, stderr ${r.stderr}`);
        assert.match(r.stdout, /^Usage: deno task /, `${c.name} --help prints its usage`);
        for (const o of [...c.options, "--help"]) {
          assert.ok(r.stdout.includes(o), `${c.name} --help names ${o}:\n${r.stdout}`);
        }
      }
    });
    // Nothing was touched: no schema in either database, no object in either bucket (C12, C13).
    for (const db of [src, wh]) {
      const [row] = await db.sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`;
      assert.equal(row!.n, 0, `${db.name} has no table after every --help`);
    }
    assert.deepEqual(await ingestion.list(""), []);
    assert.deepEqual(await processed.list(""), []);
  } finally {
    await src.drop();
    await wh.drop();
  }
});

Deno.test("an unknown flag exits 2 with one line naming it; a bad --flag=value is read as that flag's value", async () => {
  // No endpoint is configured and .local/env is not read for a usage mistake: nothing can be reached.
  const env = { AWS_EC2_METADATA_DISABLED: "true" };
  const bogus = await Promise.all(COMMANDS.map((c) => child(c.module, [...c.args, "--bogus"], env)));
  COMMANDS.forEach((c, i) => {
    const r = bogus[i]!;
    assert.equal(r.code, 2, `${c.name} --bogus: exit ${r.code}\n${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `${c.name} --bogus: one line, got:\n${r.stderr}`);
    assert.match(lines[0]!, /Unknown option '--bogus'/);
    assert.doesNotMatch(r.stderr, /\s+at /, "no stack trace");
    assert.equal(r.stdout, "");
  });
  const seedTypo = await child("scripts/seed.ts", ["--order", "5"], env);
  assert.equal(seedTypo.code, 2);
  assert.equal(
    seedTypo.stderr.trim(),
    `seed: Unknown option '--order' (did you mean "--orders"?) (deno task seed --help shows the options)`,
  );

  // --flag=value reaches the flag: each value is quoted back in the error.
  const eq = await Promise.all([
    child("scripts/seed.ts", ["--orders=5x"], env),
    child("scripts/simulate.ts", ["--changes=many"], env),
    child("scripts/sql.ts", ["--limit=ten", "SELECT 1"], env),
    child("main/etl.ts", ["status", "--runs=none"], env),
    child("main/chunks_cli.ts", ["run", "--workers=0"], env),
  ]);
  assert.deepEqual(eq.map((r) => [r.code, r.stderr.trim()]), [
    [2, `seed: --orders must be a whole number, got "5x"`],
    [2, `simulate: --changes must be a whole number, got "many"`],
    [2, `sql: --limit must be a whole number, got "ten"`],
    [2, `Error: --runs must be a whole number, got "none"`],
    [2, `chunks: --workers must be at least 1, got 0`],
  ]);
  // a value that starts with "-": never "ambiguous", but what to write instead; and with "=" the value's error
  const dash = await Promise.all([
    child("main/etl.ts", ["status", "--runs", "-1"], env),
    child("main/etl.ts", ["status", "--runs=-1"], env),
    child("scripts/seed.ts", ["--orders", "-5"], env),
  ]);
  assert.deepEqual(dash.map((r) => [r.code, r.stderr.trim()]), [
    [
      2,
      `Error: --runs needs a value, and "-1" looks like an option: write --runs=-1 if it is the value ` +
      "(deno task etl status --help shows the options)",
    ],
    [2, `Error: --runs must be a whole number, got "-1"`],
    [
      2,
      `seed: --orders needs a value, and "-5" looks like an option: write --orders=-5 if it is the value ` +
      "(deno task seed --help shows the options)",
    ],
  ]);
  const extra = await child("scripts/migrate.ts", ["now"], env);
  assert.equal(extra.code, 2);
  assert.equal(
    extra.stderr.trim(),
    `migrate: Unexpected argument "now" (deno task migrate --help shows the options)`,
  );
});
