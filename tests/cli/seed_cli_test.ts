/**
 * `deno task seed` / `simulate` from a new shell (C16): with no endpoint configured they read `.local/env` and say
 * so in one line; progress ends without a repeated line; a password given in `--database-url` (which `deno task`
 * echoes) is met with a note to use the variable instead, and never printed by the command itself.
 *
 * @module
 */
import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import { ROOT } from "../adversarial/_helpers.ts";

async function run(script: string, args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    cwd: ROOT,
    env: { AWS_EC2_METADATA_DISABLED: "true", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

/** Whether the local services' `.local/env` is missing (the tests of reading it then skip). */
const NO_LOCAL_ENV = (() => {
  try {
    return !Deno.statSync(`${ROOT}.local/env`).isFile;
  } catch {
    return true;
  }
})();

const PATH = { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "/tmp" };

Deno.test({
  name: "seed with nothing configured reads .local/env and says so in one line",
  ignore: NO_LOCAL_ENV,
  fn: async () => {
    // --if-empty: the local ToteSys is left as it is when it has rows (else one order is generated)
    const r = await run("scripts/seed.ts", ["--orders", "1", "--if-empty", "--create-schema"], PATH);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.match(
      lines[0]!,
      /^Using the local services from \.local\/env \(no TOTESYS_DATABASE_URL set\): \d+ variables$/,
    );
    assert.equal(lines.filter((l) => l.startsWith("Using the local services")).length, 1);
  },
});

Deno.test({
  name:
    "with AWS keys in the shell and nothing else configured, the CLI talks to the S3 emulator with its own keys",
  ignore: NO_LOCAL_ENV,
  fn: async () => {
    const r = await run("main/etl.ts", ["status"], {
      ...PATH,
      AWS_ACCESS_KEY_ID: "AKIAFROMTHESHELL",
      AWS_SECRET_ACCESS_KEY: "from-the-shell",
      AWS_SESSION_TOKEN: "from-the-shell",
      AWS_PROFILE: "no-such-profile",
    });
    assert.equal(r.code, 0, r.stderr); // it failed with InvalidAccessKeyId, naming the bucket's variable
    assert.match(
      r.stderr.split("\n")[0]!,
      /^Using the local services from \.local\/env \(no TOTESYS_DATABASE_URL set\): \d+ variables; the shell's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE replaced by the S3 emulator's keys$/,
    );
  },
});

Deno.test("seed progress never repeats its last line; a password in --database-url gets a note, never an echo", async () => {
  const db = await freshDatabase("seedcli");
  try {
    const r = await run("scripts/seed.ts", ["--orders", "300", "--create-schema"], {
      ...PATH,
      TOTESYS_DATABASE_URL: db.url,
    });
    assert.equal(r.code, 0, r.stderr);
    const progress = r.stderr.split("\n").filter((l) => / rows \(\w+\), /.test(l));
    assert.ok(progress.length >= 1, r.stderr);
    for (let i = 1; i < progress.length; i++) {
      assert.notEqual(
        progress[i]!.replace(/, [\d,]+ rows\/s$/, ""),
        progress[i - 1]!.replace(/, [\d,]+ rows\/s$/, ""),
        r.stderr,
      );
    }
    const [n] = await db.sql`SELECT count(*)::int AS n FROM sales_order`;
    assert.equal(n!.n, 300);

    const password = new URL(db.url).password;
    const s = await run("scripts/simulate.ts", ["--changes", "5", "--database-url", db.url], PATH);
    assert.equal(s.code, 0, s.stderr);
    assert.match(
      s.stderr,
      /^simulate: note: deno task printed --database-url with its password above; pass TOTESYS_DATABASE_URL/,
    );
    assert.ok(!s.stderr.includes(password) && !s.stdout.includes(password), "the command never prints it");
  } finally {
    await db.drop();
  }
});
