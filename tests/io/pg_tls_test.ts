/**
 * TLS to PostgreSQL (lib/io/pg.ts, main/config.ts): real servers with and without TLS, a throwaway authority that
 * signed the server's certificate (name `localhost` only) and a rogue one that did not (tests/io/_tls_postgres.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { connect, type Sql, type TlsSettings } from "../../lib/io/pg.ts";
import { databaseTls, RDS_GLOBAL_BUNDLE } from "../../main/config.ts";
import { findPostgresBin, startTlsPostgres, type TlsPostgres } from "./_tls_postgres.ts";

const bin = findPostgresBin();
const hasOpenssl = await new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" })
  .output().then((o) => o.success, () => false);
const ignore = bin === null || !hasOpenssl;
if (ignore) {
  console.log("SKIP TLS tests: needs openssl and PostgreSQL binaries (/usr/lib/postgresql/*/bin or npm ci)");
}

/** Runs a query over a fresh pool and returns whether the session is encrypted. */
async function sslInUse(url: string, tls: TlsSettings | undefined): Promise<boolean> {
  const sql: Sql = connect(url, { max: 1, tls });
  try {
    const [row] = await sql`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
    return row!.ssl as boolean;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The error a connection attempt ends with (fails the test when it connects). */
async function refusal(url: string, tls: TlsSettings): Promise<Error> {
  const sql = connect(url, { max: 1, tls });
  try {
    await sql`SELECT 1`;
  } catch (err) {
    return err as Error;
  } finally {
    await sql.end({ timeout: 1 });
  }
  assert.fail(`connected with ${tls.mode} (${tls.caSource}) but should have been refused`);
}

Deno.test({
  name: "TLS: verify-full, verify-ca and require against a server with TLS",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const server: TlsPostgres = await startTlsPostgres(bin!, { tls: true });
  try {
    const byName = `postgres://postgres@localhost:${server.port}/postgres`;
    const byIp = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    const right = { ca: server.caPem, caSource: "test-ca.pem" };
    const rogue = { ca: server.rogueCaPem, caSource: "rogue-ca.pem" };

    await t.step(
      "verify-full with the signing CA and the certificate's host name connects over TLS",
      async () => {
        assert.equal(await sslInUse(byName, { mode: "verify-full", ...right }), true);
      },
    );

    await t.step("verify-full refuses a certificate the bundle did not sign", async () => {
      const err = await refusal(byName, { mode: "verify-full", ...rogue });
      assert.match(err.message, /^TLS to PostgreSQL at localhost:\d+ \(database "postgres"\) failed/);
      assert.match(err.message, /DATABASE_SSLMODE=verify-full, CA bundle rogue-ca\.pem/);
      assert.match(err.message, /unable to verify|certificate/i);
    });

    await t.step("verify-full refuses a host the certificate does not name", async () => {
      const err = await refusal(byIp, { mode: "verify-full", ...right });
      assert.match(err.message, /database "postgres"/);
      assert.match(err.message, /does not match|altname/i);
    });

    await t.step("verify-ca checks the chain but accepts any name", async () => {
      assert.equal(await sslInUse(byIp, { mode: "verify-ca", ...right }), true);
      const err = await refusal(byIp, { mode: "verify-ca", ...rogue });
      assert.match(err.message, /DATABASE_SSLMODE=verify-ca/);
    });

    await t.step("require encrypts without checking the certificate", async () => {
      assert.equal(await sslInUse(byIp, { mode: "require", ...rogue }), true);
    });

    await t.step("verify-full overrides sslmode=disable in the URL", async () => {
      assert.equal(await sslInUse(`${byName}?sslmode=disable`, { mode: "verify-full", ...right }), true);
    });

    await t.step("disable never uses TLS; no setting keeps today's prefer", async () => {
      assert.equal(await sslInUse(byName, { mode: "disable" }), false);
      assert.equal(await sslInUse(byName, undefined), true);
    });
  } finally {
    await server.stop();
  }
});

Deno.test({
  name: "TLS: a server without TLS is refused when TLS is required, and used as before otherwise",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const server = await startTlsPostgres(bin!, { tls: false });
  try {
    const url = `postgres://postgres@localhost:${server.port}/postgres`;
    for (const mode of ["verify-full", "verify-ca", "require"] as const) {
      const err = await refusal(url, { mode, ca: server.caPem, caSource: "test-ca.pem" });
      assert.equal(
        err.message,
        `PostgreSQL at localhost:${server.port} (database "postgres") does not accept TLS connections, and ` +
          `DATABASE_SSLMODE=${mode} requires TLS: refusing to connect without it (turn ssl on at the server, or ` +
          "check the host and port)",
      );
    }
    assert.equal(await sslInUse(url, undefined), false);
    assert.equal(await sslInUse(url, { mode: "prefer" }), false);
  } finally {
    await server.stop();
  }
});

/** Runs `fn` with the given environment variables set (undefined: unset), restoring them afterwards. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) x === undefined ? Deno.env.delete(k) : Deno.env.set(k, x);
  };
  apply(vars);
  try {
    return fn();
  } finally {
    apply(saved);
  }
}

Deno.test("databaseTls() reads DATABASE_SSLMODE and DATABASE_CA_BUNDLE", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ca-bundle-test-" });
  try {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    await Deno.writeTextFile(join(dir, "ca.pem"), pem);
    await Deno.mkdir(join(dir, "certs"));
    await Deno.writeTextFile(join(dir, RDS_GLOBAL_BUNDLE), pem);
    await Deno.writeTextFile(join(dir, "not-pem.txt"), "hello");
    const env = (mode?: string, bundle?: string, root?: string) => ({
      DATABASE_SSLMODE: mode,
      DATABASE_CA_BUNDLE: bundle,
      LAMBDA_TASK_ROOT: root,
    });

    assert.equal(withEnv(env(), databaseTls), undefined, "unset: the local loop's prefer");
    assert.deepEqual(withEnv(env("disable", "rds-global"), databaseTls), { mode: "disable" });
    assert.deepEqual(withEnv(env("require", "rds-global"), databaseTls), { mode: "require" });
    assert.deepEqual(withEnv(env("verify-full", "system"), databaseTls), {
      mode: "verify-full",
      caSource: "system",
    });
    assert.deepEqual(withEnv(env("verify-ca"), databaseTls), { mode: "verify-ca", caSource: "system" });
    assert.deepEqual(withEnv(env("verify-full", join(dir, "ca.pem")), databaseTls), {
      mode: "verify-full",
      ca: pem,
      caSource: join(dir, "ca.pem"),
    });
    assert.deepEqual(withEnv(env("verify-full", "rds-global", dir), databaseTls), {
      mode: "verify-full",
      ca: pem,
      caSource: `rds-global (${join(dir, RDS_GLOBAL_BUNDLE)})`,
    });

    assert.throws(() => withEnv(env("verify-everything"), databaseTls), {
      message:
        'DATABASE_SSLMODE must be one of disable, prefer, require, verify-ca, verify-full, got "verify-everything"',
    });
    const missing = join(dir, "empty");
    assert.throws(() => withEnv(env("verify-full", "rds-global", missing), databaseTls), {
      message: `DATABASE_CA_BUNDLE=rds-global but ${join(missing, RDS_GLOBAL_BUNDLE)} does not exist: the ` +
        `function was built without ${RDS_GLOBAL_BUNDLE} (fetch it, then make build: docs/deploy.md, "TLS to the ` +
        `databases")`,
    });
    assert.throws(
      () => withEnv(env("verify-ca", join(dir, "nope.pem")), databaseTls),
      /nope\.pem, which does not exist/,
    );
    assert.throws(
      () => withEnv(env("verify-ca", join(dir, "not-pem.txt")), databaseTls),
      /holds no PEM certificate/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
