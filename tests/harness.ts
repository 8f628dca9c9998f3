/**
 * Test harness: fresh, isolated databases and buckets on the running local services (started by `make test`
 * through scripts/local_services.mjs, which writes .local/env) or on the configured endpoints.
 *
 * Integration tests talk to a real PostgreSQL and the S3 emulator, never to mocks of them.
 *
 * @module
 */
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { connect, type Sql } from "../lib/io/pg.ts";
import { Bucket, createS3Client } from "../lib/io/s3.ts";

function loadLocalEnv(): void {
  if (Deno.env.get("TOTESYS_DATABASE_URL")) return;
  let text: string;
  try {
    text = Deno.readTextFileSync(new URL("../.local/env", import.meta.url));
  } catch {
    throw new Error(
      "No services configured: run `make test` (it starts them) or set TOTESYS_DATABASE_URL etc.",
    );
  }
  for (const m of text.matchAll(/^export (\w+)='([^']*)'$/gm)) Deno.env.set(m[1]!, m[2]!);
}

loadLocalEnv();
Deno.env.set("AWS_EC2_METADATA_DISABLED", "true");

/** The services' variables the tests read, kept under a prefix of their own (see {@link serviceEnv}). */
const SERVICE_VARIABLES = [
  "TOTESYS_DATABASE_URL",
  "TOTESYS13_DATABASE_URL",
  "AWS_ENDPOINT_URL",
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
] as const;

/**
 * A service variable as it was before any test ran. The environment is one per process, and `deno test
 * --parallel` runs test files side by side in one process: a test that points `TOTESYS_DATABASE_URL` at a proxy
 * for an in-process Lambda handler (tests/cli/db_lost_lambda_test.ts) made another file's fresh databases go
 * through that proxy, and its cut failed them. The first import of this module copies each variable to
 * `TOTES_TEST_<name>`, which no test changes; every helper reads that copy.
 */
export function serviceEnv(name: (typeof SERVICE_VARIABLES)[number]): string | undefined {
  const kept = Deno.env.get(`TOTES_TEST_${name}`);
  return kept === undefined ? Deno.env.get(name) : kept === "" ? undefined : kept;
}

for (const name of SERVICE_VARIABLES) {
  if (Deno.env.get(`TOTES_TEST_${name}`) === undefined) {
    Deno.env.set(`TOTES_TEST_${name}`, Deno.env.get(name) ?? "");
  }
}

/** A unique lower-case name with `prefix` (database and bucket names). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`.toLowerCase();
}

/** URL of database `db` on the server of `baseUrl` (default: the server of TOTESYS_DATABASE_URL). */
export function serverUrl(db: string, baseUrl = serviceEnv("TOTESYS_DATABASE_URL")!): string {
  const url = new URL(baseUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

/** A fresh empty database; `drop()` removes it. */
export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** Creates a fresh empty database on the server of `baseUrl` (any database URL on that server). */
async function createDatabaseOn(baseUrl: string, prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix).replaceAll("-", "_");
  const admin = connect(serverUrl("postgres", baseUrl), { max: 1 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = serverUrl(name, baseUrl);
  const sql = connect(url);
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end();
      const a = connect(serverUrl("postgres", baseUrl), { max: 1 });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Creates a fresh empty database on the test server (the server of TOTESYS_DATABASE_URL). */
export function freshDatabase(prefix = "t"): Promise<TestDatabase> {
  return createDatabaseOn(serviceEnv("TOTESYS_DATABASE_URL")!, prefix);
}

/**
 * Creates a fresh empty database on the PostgreSQL 13 test server (the live ToteSys version; the server of
 * TOTESYS13_DATABASE_URL, which `make test` starts and writes into .local/env). Null when TOTESYS13_DATABASE_URL
 * is unset (configured endpoints without a PostgreSQL 13 server): skip the test then, saying why.
 */
export async function freshDatabase13(prefix = "t"): Promise<TestDatabase | null> {
  const baseUrl = serviceEnv("TOTESYS13_DATABASE_URL");
  return baseUrl ? await createDatabaseOn(baseUrl, prefix) : null;
}

/** Creates a fresh empty bucket on the configured S3 endpoint. */
export async function freshBucket(prefix = "t"): Promise<Bucket> {
  const client = createS3Client({
    endpoint: serviceEnv("AWS_ENDPOINT_URL"),
    region: serviceEnv("AWS_REGION"),
  });
  const name = uniqueName(`test-${prefix}`).slice(0, 63);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return new Bucket(client, name);
}
