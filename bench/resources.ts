/**
 * Fresh databases and buckets for the benchmark, on the configured servers (as tests/harness.ts makes them), and
 * the machine's description.
 *
 * @module
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { connect } from "../lib/io/pg.ts";
import { createS3Client } from "../lib/io/s3.ts";
import type { MachineInfo } from "./report.ts";

/**
 * Makes sure endpoints are configured: when `TOTESYS_DATABASE_URL` is unset, starts the embedded services
 * (`node scripts/local_services.mjs up`, which reuses running ones) and reads the `export` lines of .local/env.
 *
 * @throws Error when the services cannot be started or .local/env is missing afterwards.
 */
export async function ensureEnvironment(root: string): Promise<void> {
  Deno.env.set("AWS_EC2_METADATA_DISABLED", "true");
  if (Deno.env.get("TOTESYS_DATABASE_URL")) return;
  const out = await new Deno.Command("node", {
    args: ["scripts/local_services.mjs", "up"],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("node scripts/local_services.mjs up failed (see above)");
  const text = await Deno.readTextFile(`${root}/.local/env`);
  for (const m of text.matchAll(/^export (\w+)='([^']*)'$/gm)) Deno.env.set(m[1]!, m[2]!);
  if (!Deno.env.get("TOTESYS_DATABASE_URL")) throw new Error(".local/env does not set TOTESYS_DATABASE_URL");
}

/** URL of database `db` on the server of `TOTESYS_DATABASE_URL`. */
export function serverUrl(db: string): string {
  const url = new URL(Deno.env.get("TOTESYS_DATABASE_URL")!);
  url.pathname = `/${db}`;
  return url.toString();
}

/** Creates the empty database `name` (lower-case letters, digits and `_`). */
export async function createDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Bad database name "${name}"`);
  const admin = connect(serverUrl("postgres"), { max: 1, applicationName: "totes-bench" });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return serverUrl(name);
}

/** Drops database `name` if it exists, disconnecting its sessions. */
export async function dropDatabase(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Bad database name "${name}"`);
  const admin = connect(serverUrl("postgres"), { max: 1, applicationName: "totes-bench" });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** An S3 client for the configured endpoint. */
export function s3Client(): S3Client {
  return createS3Client({ endpoint: Deno.env.get("AWS_ENDPOINT_URL"), region: Deno.env.get("AWS_REGION") });
}

/** Creates bucket `name`. */
export async function createBucket(client: S3Client, name: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: name }));
}

/** Deletes every object of bucket `name`, then the bucket. Ignores a bucket that is already gone. */
export async function deleteBucket(client: S3Client, name: string): Promise<void> {
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: name, ...(token ? { ContinuationToken: token } : {}) }),
      );
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length > 0) {
        await client.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys, Quiet: true } }));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    await client.send(new DeleteBucketCommand({ Bucket: name }));
  } catch (err) {
    if ((err as { name?: string }).name !== "NoSuchBucket") throw err;
  }
}

/** Total size in bytes of the objects in bucket `name`. */
export async function bucketBytes(client: S3Client, name: string): Promise<number> {
  let total = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: name, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const o of page.Contents ?? []) total += o.Size ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return total;
}

function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

/** Describes the machine: CPU and memory from /proc, OS, PostgreSQL's `version()`, S3 endpoint, Deno. */
export async function describeMachine(root: string): Promise<MachineInfo> {
  const cpuinfo = readText("/proc/cpuinfo");
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown";
  const cores = cpuinfo.match(/^processor\s*:/gm)?.length ?? navigator.hardwareConcurrency;
  const memKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(readText("/proc/meminfo"))?.[1] ?? 0);
  const osName = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readText("/etc/os-release"))?.[1] ?? Deno.build.os;
  const sql = connect(serverUrl("postgres"), { max: 1, applicationName: "totes-bench" });
  let postgres = "unknown";
  try {
    const [row] = await sql`SELECT version() AS v, current_setting('shared_buffers') AS sb`;
    postgres = `${String(row!.v).replace(/ on x86_64.*$/, "")}, shared_buffers ${row!.sb}`;
  } finally {
    await sql.end();
  }
  const pg = new URL(Deno.env.get("TOTESYS_DATABASE_URL")!);
  const endpoint = Deno.env.get("AWS_ENDPOINT_URL");
  let s3 = "AWS S3";
  if (endpoint) {
    const host = new URL(endpoint).host;
    const pkg = readText(`${root}/node_modules/s3rver/package.json`);
    const version = pkg ? (JSON.parse(pkg) as { version?: string }).version : undefined;
    s3 = `${host}${version ? ` (s3rver ${version} under Node, on this machine)` : ""}`;
  }
  return {
    cpuModel,
    cores,
    memoryMiB: Math.round(memKiB / 1024),
    os: `${osName}, kernel ${Deno.osRelease()}`,
    postgres,
    postgresHost: `${pg.hostname}:${pg.port || "5432"}`,
    s3,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    date: new Date().toISOString(),
  };
}

/** The code the stages run from. */
export interface CodeUnderTest {
  /** Directory holding main/, lib/, deno.json and deno.lock. */
  dir: string;
  /** The commit (`git rev-parse`), or "unknown" outside git. */
  commit: string;
  /** Whether the stages' files differ from that commit (only possible with the working tree). */
  dirty: boolean;
}

async function git(root: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  return new TextDecoder().decode(out.stdout).trim();
}

/** The files the stage processes need. */
const STAGE_FILES = ["main", "lib", "deno.json", "deno.lock"];

/** Files the stage processes of later commits also need: the stages' V8 flags and main/chunks_cli.ts's import. */
const LATER_STAGE_FILES = ["lambda/bootstrap", "tools/lambda/v8_flags.ts"];

/** STAGE_FILES, and those of LATER_STAGE_FILES that `commit` has (git archive refuses a path it lacks). */
async function stageFiles(root: string, commit: string): Promise<string[]> {
  const later = [];
  for (const path of LATER_STAGE_FILES) {
    const out = await new Deno.Command("git", { args: ["cat-file", "-e", `${commit}:${path}`], cwd: root })
      .output();
    if (out.success) later.push(path);
  }
  return [...STAGE_FILES, ...later];
}

/**
 * Chooses the code the stage processes run: by default a snapshot of commit `ref` (`git archive` of main/, lib/,
 * deno.json and deno.lock into `snapshotsDir/<commit>/`, made once and reused), so that edits others make to the
 * working tree during a long run cannot change the code under test half-way; with `workingTree`, the repository
 * itself (then `dirty` tells whether those files differ from HEAD).
 *
 * @throws Error when git fails (not a repository, unknown ref).
 */
export async function codeUnderTest(
  root: string,
  options: { workingTree: boolean; ref: string; snapshotsDir: string },
): Promise<CodeUnderTest> {
  if (options.workingTree) {
    let commit = "unknown";
    let dirty = false;
    try {
      commit = await git(root, ["rev-parse", "HEAD"]);
      dirty = (await git(root, ["status", "--porcelain", "--", ...STAGE_FILES])) !== "";
    } catch {
      // not a git checkout: run what is there
    }
    return { dir: root, commit, dirty };
  }
  const commit = await git(root, ["rev-parse", "--verify", `${options.ref}^{commit}`]);
  const dir = `${options.snapshotsDir}/${commit.slice(0, 12)}`;
  try {
    await Deno.stat(`${dir}/deno.json`);
    return { dir, commit, dirty: false };
  } catch {
    // not made yet
  }
  const tmp = `${dir}.tmp-${Date.now()}`;
  await Deno.mkdir(tmp, { recursive: true });
  const archive = new Deno.Command("git", {
    args: ["archive", "--format=tar", commit, ...await stageFiles(root, commit)],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const tar = new Deno.Command("tar", { args: ["-x", "-C", tmp], stdin: "piped", stderr: "piped" }).spawn();
  await archive.stdout.pipeTo(tar.stdin);
  const [a, t] = await Promise.all([archive.output(), tar.output()]);
  if (!a.success || !t.success) {
    throw new Error(
      `Cannot snapshot ${commit}: ${new TextDecoder().decode(a.stderr)}${new TextDecoder().decode(t.stderr)}`,
    );
  }
  await Deno.rename(tmp, dir);
  return { dir, commit, dirty: false };
}
