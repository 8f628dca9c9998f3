/**
 * Configuration from the environment (docs/design.md section 6). Only `main/` reads the environment.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `TOTESYS_DATABASE_URL` / `TOTESYS_SECRET_ARN` | source database (URL, or a Secrets Manager JSON secret) |
 * | `WAREHOUSE_DATABASE_URL` / `WAREHOUSE_SECRET_ARN` | warehouse database |
 * | `INGESTION_BUCKET`, `PROCESSED_BUCKET` | the two zones |
 * | `AWS_ENDPOINT_URL` | S3 endpoint of LocalStack or the emulator (path-style) |
 * | `AWS_REGION` | region (default eu-west-2) |
 * | `INGEST_MAX_DELETE_SHARE` | largest share of a table one run may find deleted (default 0.1) |
 * | `TRANSFORM_BAD_ROWS` | `fail` (default) or `quarantine` |
 * | `DATABASE_SSLMODE` | TLS to both databases: `verify-full`, `verify-ca`, `require`, `disable`, `prefer` (unset) |
 * | `DATABASE_CA_BUNDLE` | authorities for `verify-*`: `rds-global` (shipped in the zip), `system`, or a PEM path |
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Bucket, createS3Client } from "../lib/io/s3.ts";
import type { Sql, TlsSettings } from "../lib/io/pg.ts";
import { SSL_MODES, type SslMode } from "../lib/io/ssl_modes.ts";
import type { BadRowPolicy } from "../lib/transform/bad_row.ts";

/** Reads a required variable. @throws Error naming the variable when it is unset or empty. */
export function required(name: string): string {
  const value = Deno.env.get(name);
  if (!value) {
    throw new Error(
      `Environment variable ${name} is not set (see the README's configuration table; locally make local-up ` +
        `writes .local/env)`,
    );
  }
  return value;
}

/**
 * Resolves a database URL: `<PREFIX>_DATABASE_URL`, else the Secrets Manager secret `<PREFIX>_SECRET_ARN` (JSON
 * with host, port, user/username, password, dbname).
 *
 * @throws Error when neither is set, or the secret lacks a field (the secret's value is never quoted).
 */
export async function databaseUrl(prefix: "TOTESYS" | "WAREHOUSE"): Promise<string> {
  const url = Deno.env.get(`${prefix}_DATABASE_URL`);
  if (url) return url;
  const arn = Deno.env.get(`${prefix}_SECRET_ARN`);
  if (!arn) {
    throw new Error(
      `Set ${prefix}_DATABASE_URL or ${prefix}_SECRET_ARN (for the local services: make local-up, which writes ` +
        `.local/env; the CLI reads it when neither is set)`,
    );
  }
  // Loaded only here: the local and test runs, which set the URL, never pay for the client (start-up, memory).
  const { GetSecretValueCommand, SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
  const client = new SecretsManagerClient({ region: Deno.env.get("AWS_REGION") ?? "eu-west-2" });
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  const s = JSON.parse(out.SecretString ?? "{}") as Record<string, unknown>;
  const user = s.username ?? s.user;
  for (const [k, v] of Object.entries({ host: s.host, user, password: s.password, dbname: s.dbname })) {
    if (v === undefined || v === "") throw new Error(`Secret ${arn} has no "${k}" field`);
  }
  const port = s.port ?? 5432;
  return `postgres://${encodeURIComponent(String(user))}:${
    encodeURIComponent(String(s.password))
  }@${s.host}:${port}/${encodeURIComponent(String(s.dbname))}`;
}

/** The bucket named by the environment variable `name`, on the configured endpoint. */
export function bucketFromEnv(name: "INGESTION_BUCKET" | "PROCESSED_BUCKET", stage?: string): Bucket {
  const endpoint = Deno.env.get("AWS_ENDPOINT_URL") || undefined;
  const client = createS3Client({ endpoint, region: Deno.env.get("AWS_REGION") });
  return new Bucket(client, required(name), "", { variable: name, endpoint, stage });
}

/** Reads a non-negative integer variable, or `fallback` when unset. @throws Error quoting a bad value. */
export function intFromEnv(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** Reads a share between 0 and 1, or `fallback` when unset. @throws Error quoting a bad value. */
export function shareFromEnv(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new Error(`${name} must be a number from 0 to 1, got "${raw}"`);
  }
  return n;
}

/** `TRANSFORM_BAD_ROWS`: `fail` (default) or `quarantine`. @throws Error quoting any other value. */
export function badRowPolicy(): BadRowPolicy {
  const v = Deno.env.get("TRANSFORM_BAD_ROWS") ?? "fail";
  if (v !== "fail" && v !== "quarantine") {
    throw new Error(`TRANSFORM_BAD_ROWS must be "fail" or "quarantine", got "${v}"`);
  }
  return v;
}

/** Where `DATABASE_CA_BUNDLE=rds-global` is looked for, relative to the function's folder or the repository. */
export const RDS_GLOBAL_BUNDLE = "certs/rds-global-bundle.pem";

const caCache = new Map<string, string>();

/**
 * The folder `rds-global` resolves against: `LAMBDA_TASK_ROOT` in Lambda (the unzipped function, where
 * scripts/build.ts puts `certs/rds-global-bundle.pem`), else the repository (this module's parent folder).
 */
function bundleRoot(): string {
  return Deno.env.get("LAMBDA_TASK_ROOT") || join(fileURLToPath(new URL(".", import.meta.url)), "..");
}

/** Reads a PEM bundle once per process. @throws Error naming the file when it is missing or holds no certificate. */
function readBundle(path: string, setting: string): string {
  const cached = caCache.get(path);
  if (cached !== undefined) return cached;
  if (!existsSync(path)) {
    throw new Error(
      setting === "rds-global"
        ? `DATABASE_CA_BUNDLE=rds-global but ${path} does not exist: the function was built without ` +
          `${RDS_GLOBAL_BUNDLE} (fetch it, then make build: docs/deploy.md, "TLS to the databases")`
        : `DATABASE_CA_BUNDLE names ${path}, which does not exist`,
    );
  }
  const pem = readFileSync(path, "utf8");
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new Error(`DATABASE_CA_BUNDLE file ${path} holds no PEM certificate`);
  }
  caCache.set(path, pem);
  return pem;
}

/**
 * TLS settings of the database connections, from `DATABASE_SSLMODE` and `DATABASE_CA_BUNDLE` (lib/io/pg.ts says
 * what each mode checks).
 *
 * - `DATABASE_SSLMODE` unset or empty: undefined, the local loop's behaviour (TLS when offered, unchecked, unless
 *   the URL has `sslmode=`).
 * - `DATABASE_CA_BUNDLE` (used by `verify-ca` and `verify-full` only): `rds-global` (the Amazon RDS global bundle,
 *   `certs/rds-global-bundle.pem` in the function zip or the repository), `system` or unset (the runtime's default
 *   roots), or the path of a PEM file (relative paths from the working folder).
 *
 * @throws Error quoting a mode that is not one of the five, or naming a bundle file that is missing or not PEM.
 */
export function databaseTls(): TlsSettings | undefined {
  const mode = Deno.env.get("DATABASE_SSLMODE") ?? "";
  if (mode === "") return undefined;
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw new Error(`DATABASE_SSLMODE must be one of ${SSL_MODES.join(", ")}, got "${mode}"`);
  }
  const sslMode = mode as SslMode;
  if (sslMode !== "verify-ca" && sslMode !== "verify-full") return { mode: sslMode };
  const bundle = Deno.env.get("DATABASE_CA_BUNDLE") ?? "";
  if (bundle === "" || bundle === "system") return { mode: sslMode, caSource: "system" };
  const path = bundle === "rds-global" ? join(bundleRoot(), RDS_GLOBAL_BUNDLE) : bundle;
  return {
    mode: sslMode,
    ca: readBundle(path, bundle),
    caSource: bundle === "rds-global" ? `rds-global (${path})` : path,
  };
}

/**
 * Opens the configured database: `<PREFIX>_DATABASE_URL` or its secret ({@link databaseUrl}), with the TLS
 * settings ({@link databaseTls}) and the label errors name it by.
 *
 * @throws what {@link databaseUrl} and {@link databaseTls} throw.
 */
export async function openDatabase(
  prefix: "TOTESYS" | "WAREHOUSE",
  applicationName: string,
  max = 2,
): Promise<Sql> {
  // Loaded only here: the transform, which opens no database, does not load the driver (start-up, memory).
  const { connectChecked } = await import("../lib/io/pg.ts");
  return await connectChecked(await databaseUrl(prefix), {
    max,
    applicationName,
    tls: databaseTls(),
    label: prefix === "TOTESYS" ? "ToteSys" : "warehouse",
    source: databaseSource(prefix),
  });
}

/** The variable a database's URL came from, for errors to name: `<PREFIX>_DATABASE_URL` or `<PREFIX>_SECRET_ARN`. */
export function databaseSource(prefix: "TOTESYS" | "WAREHOUSE"): string {
  return Deno.env.get(`${prefix}_DATABASE_URL`) ? `${prefix}_DATABASE_URL` : `${prefix}_SECRET_ARN`;
}
