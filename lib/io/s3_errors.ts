/**
 * What an S3 failure means, in words that say what to fix (C4, C7): the bucket and the variable that names it,
 * the endpoint and its variable, the stage and the object.
 *
 * @module
 */

/** Where a bucket came from, quoted in its errors. */
export interface BucketContext {
  /** The variable that named the bucket (`INGESTION_BUCKET`). */
  variable?: string | undefined;
  /** The S3 endpoint (`AWS_ENDPOINT_URL`'s value); absent: AWS. */
  endpoint?: string | undefined;
  /** The stage using the bucket (`ingest`, `transform`, `load`). */
  stage?: string | undefined;
}

/** Network error codes meaning nothing answered at the endpoint. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Signs that something answered, but not as S3 (an HTTP parser failure, a reset, an XML deserialisation error). */
const NOT_S3 =
  /socket hang up|ECONNRESET|EPIPE|Parse Error|Deserialization error|char '.' is not expected|Unexpected token|HPE_/i;

/** The text of an error and of its causes, for matching. */
function describe(err: unknown): { name: string; code: string; text: string } {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  let text = `${e?.message ?? String(err)}`;
  let cause = e?.cause as { message?: string; code?: string } | undefined;
  let code = e?.code ?? "";
  for (let depth = 0; cause && depth < 3; depth++) {
    text += ` ${cause.message ?? ""}`;
    code ||= cause.code ?? "";
    cause = (cause as { cause?: unknown }).cause as typeof cause;
  }
  return { name: e?.name ?? "", code, text };
}

/**
 * Turns an S3 SDK error of `operation` on `s3://bucket/key` into one that names what to fix. "Not found" errors of
 * objects (`NoSuchKey`, `NotFound`) are returned as they are: callers test their name.
 *
 * @example
 * ```ts
 * import { s3Error } from "./s3_errors.ts";
 * const e = s3Error(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:45679"), { code: "ECONNREFUSED" }),
 *   "GetObject", "totes-ingestion", "a.json", { variable: "INGESTION_BUCKET", endpoint: "http://127.0.0.1:45679" });
 * // e.message: 'Cannot reach the S3 endpoint http://127.0.0.1:45679 (AWS_ENDPOINT_URL) to GetObject s3://...'
 * ```
 */
export function s3Error(
  err: unknown,
  operation: string,
  bucket: string,
  key: string | undefined,
  context: BucketContext,
): unknown {
  const { name, code, text } = describe(err);
  if (name === "NoSuchKey" || name === "NotFound") return err;
  const object = `s3://${bucket}/${key ?? ""}`;
  const during = context.stage ? ` during ${context.stage}` : "";
  const bucketVar = context.variable ? ` (${context.variable})` : "";
  const endpoint = context.endpoint
    ? `the S3 endpoint ${context.endpoint} (AWS_ENDPOINT_URL)`
    : "AWS S3 (AWS_ENDPOINT_URL is not set)";
  const message = (why: string, hint = "") =>
    new Error(`${why}${during}: ${operation} ${object}${hint}`, { cause: err });
  if (name === "NoSuchBucket" || /specified bucket does not exist/i.test(text)) {
    return message(`Bucket "${bucket}"${bucketVar} does not exist at ${endpoint}`);
  }
  if (name === "InvalidRange" || /InvalidRange|range is not satisfiable/i.test(text)) {
    // A ranged read past the end: the object is shorter than the size recorded when it was written.
    return message(
      "The object is shorter than the byte range read (replaced or truncated since it was written?)",
    );
  }
  if (/timed out after \d+ ms of inactivity/.test(text)) {
    return message(
      `No answer from ${endpoint}: ${
        text.replace(/^@smithy\/node-http-handler - /, "").replace(/\.\s*$/, "")
      }`,
    );
  }
  if (UNREACHABLE.has(code) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(text)) {
    // The same hint as a refused PostgreSQL (lib/io/pg.ts): a local endpoint is this project's emulator.
    const local = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(context.endpoint ?? "");
    return message(
      `Cannot reach ${endpoint} (${code || "no answer"})`,
      local ? " (locally, make local-up starts the services)" : "",
    );
  }
  if (NOT_S3.test(text)) {
    return message(`${endpoint[0]!.toUpperCase()}${endpoint.slice(1)} did not answer as S3 (${text.trim()})`);
  }
  return message(`S3 failed (${name ? `${name}: ` : ""}${text.trim()}) on bucket "${bucket}"${bucketVar}`);
}

/**
 * A JSON.parse error's message with the line (1-based) and column where it failed, computed from `text` when the
 * runtime's message gives only a position.
 */
export function jsonErrorWhere(err: Error, text: string): string {
  const m = /at position (\d+)/.exec(err.message);
  if (!m) return `${err.message} (at the end: line ${text.split("\n").length})`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return `${err.message.replace(/ \(line \d+ column \d+\)/, "")} (line ${line} column ${column})`;
}
