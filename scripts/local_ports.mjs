// Ports of the embedded local services, remembered in .local/ports.json (C19): the first `make local-up` records
// the ports it used (LOCAL_PG_PORT, LOCAL_PG13_PORT, LOCAL_S3_PORT or their defaults); later runs use the
// remembered ones when the variables are unset, and a variable that names another port while the service still
// runs on the remembered one is refused in one line saying what to do, instead of pg_ctl's "another server might
// be running".
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** The variables and their defaults. */
export const PORT_DEFAULTS = { LOCAL_PG_PORT: 54329, LOCAL_PG13_PORT: 54313, LOCAL_S3_PORT: 45679 };

/**
 * The ports to use: each variable of `env` when set, else the one remembered in `<local>/ports.json`, else the
 * default. Returns `{ ports, remembered }` (`remembered`: the file's ports, `{}` when there is none).
 *
 * @param {string} local the `.local` folder
 * @param {Record<string, string | undefined>} env
 * @returns {{ ports: Record<string, number>, remembered: Record<string, number> }}
 * @throws Error quoting the variable and its value when it is not a port number.
 */
export function resolvePorts(local, env = process.env) {
  const file = path.join(local, "ports.json");
  /** @type {Record<string, number>} */
  let remembered = {};
  try {
    remembered = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    remembered = {};
  }
  /** @type {Record<string, number>} */
  const ports = {};
  for (const [name, fallback] of Object.entries(PORT_DEFAULTS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== "") {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        throw new Error(`${name} must be a port number, got "${raw}"`);
      }
      ports[name] = n;
    } else ports[name] = Number(remembered[name] ?? fallback);
  }
  return { ports, remembered };
}

/** Records `ports` in `<local>/ports.json`. */
export function rememberPorts(local, ports) {
  fs.mkdirSync(local, { recursive: true });
  fs.writeFileSync(path.join(local, "ports.json"), JSON.stringify(ports, null, 1) + "\n");
}

/**
 * The port a still-running service of this checkout listens on according to `pidFile` (line 0: its pid; line
 * `portLine`: its port), or null when there is no such file or its process is gone.
 */
export function runningPort(pidFile, portLine) {
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== "EPERM") return null;
  }
  return Number(lines[portLine]);
}

/**
 * The one-line refusal when `label` still runs on another port than `port` asked by `variable`, or null.
 */
export function portChangeProblem(label, variable, port, running) {
  if (running === null || running === port) return null;
  return `${label} of this checkout is running on 127.0.0.1:${running}, but ${variable}=${port}: ` +
    `run "make local-down" first to move it to ${port}, or unset ${variable} to keep ${running} ` +
    "(the ports in use are remembered in .local/ports.json)";
}

/** One line on stderr, prefixed like every line of the local services. */
export function log(msg) {
  process.stderr.write(`[local] ${msg}\n`);
}

export function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function waitFor(check, what, ms = 30000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
}

/**
 * Whether the port belongs to this checkout's service: the process in `pidFile` (PostgreSQL's postmaster.pid, whose
 * line 4 is the port, or s3rver.process: pid then port) is alive and listens on `port`.
 */
export function ownsPort(pidFile, port, portLine) {
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
