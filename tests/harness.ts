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

/** A unique lower-case name with `prefix` (database and bucket names). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`.toLowerCase();
}

/** URL of database `db` on the server of `baseUrl` (default: the server of TOTESYS_DATABASE_URL). */
export function serverUrl(db: string, baseUrl = Deno.env.get("TOTESYS_DATABASE_URL")!): string {
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
  return createDatabaseOn(Deno.env.get("TOTESYS_DATABASE_URL")!, prefix);
}

/**
 * Creates a fresh empty database on the PostgreSQL 13 test server (the live ToteSys version; the server of
 * TOTESYS13_DATABASE_URL, which `make test` starts and writes into .local/env). Null when TOTESYS13_DATABASE_URL
 * is unset (configured endpoints without a PostgreSQL 13 server): skip the test then, saying why.
 */
export async function freshDatabase13(prefix = "t"): Promise<TestDatabase | null> {
  const baseUrl = Deno.env.get("TOTESYS13_DATABASE_URL");
  return baseUrl ? await createDatabaseOn(baseUrl, prefix) : null;
}

/** Creates a fresh empty bucket on the configured S3 endpoint. */
export async function freshBucket(prefix = "t"): Promise<Bucket> {
  const client = createS3Client({
    endpoint: Deno.env.get("AWS_ENDPOINT_URL"),
    region: Deno.env.get("AWS_REGION"),
  });
  const name = uniqueName(`test-${prefix}`).slice(0, 63);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return new Bucket(client, name);
}
