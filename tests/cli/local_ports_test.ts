/**
 * C19: the local services remember their ports (.local/ports.json); a changed or forgotten LOCAL_*_PORT is either
 * followed (the service is down), taken from memory (unset), or refused in one line saying what to do (the
 * service still runs on the remembered port), never pg_ctl's raw "another server might be running".
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  PORT_DEFAULTS,
  portChangeProblem,
  rememberPorts,
  resolvePorts,
  runningPort,
} from "../../scripts/local_ports.mjs";
import { ROOT } from "../adversarial/_helpers.ts";

Deno.test("resolvePorts(): variables first, then the remembered ports, then the defaults; bad values quoted", () => {
  const dir = Deno.makeTempDirSync();
  try {
    assert.deepEqual(resolvePorts(dir, {}).ports, PORT_DEFAULTS);
    rememberPorts(dir, { LOCAL_PG_PORT: 56001, LOCAL_PG13_PORT: 56002, LOCAL_S3_PORT: 56003 });
    assert.deepEqual(resolvePorts(dir, {}).ports, {
      LOCAL_PG_PORT: 56001,
      LOCAL_PG13_PORT: 56002,
      LOCAL_S3_PORT: 56003,
    });
    assert.deepEqual(resolvePorts(dir, { LOCAL_PG_PORT: "57000" }).ports.LOCAL_PG_PORT, 57000);
    assert.throws(
      () => resolvePorts(dir, { LOCAL_S3_PORT: "80x" }),
      /^Error: LOCAL_S3_PORT must be a port number, got "80x"$/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runningPort() and portChangeProblem(): a live service on another port is refused naming both ports", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const pidFile = `${dir}/postmaster.pid`;
    assert.equal(runningPort(pidFile, 3), null);
    Deno.writeTextFileSync(pidFile, `${Deno.pid}\n/data\n1700000000\n56001\n`);
    assert.equal(runningPort(pidFile, 3), 56001);
    assert.equal(portChangeProblem("PostgreSQL", "LOCAL_PG_PORT", 56001, 56001), null);
    assert.equal(
      portChangeProblem("PostgreSQL", "LOCAL_PG_PORT", 57000, 56001),
      'PostgreSQL of this checkout is running on 127.0.0.1:56001, but LOCAL_PG_PORT=57000: run "make local-down" ' +
        "first to move it to 57000, or unset LOCAL_PG_PORT to keep 56001 (the ports in use are remembered in " +
        ".local/ports.json)",
    );
    // a pid that is gone: the service is down, any port may be used
    Deno.writeTextFileSync(pidFile, `999999999\n/data\n1700000000\n56001\n`);
    assert.equal(runningPort(pidFile, 3), null);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "local_services.mjs up with another LOCAL_PG_PORT while the server runs: one line, exit 1, nothing changed",
  ignore: (() => {
    try {
      return !Deno.statSync(`${ROOT}.local/ports.json`).isFile;
    } catch {
      return true; // services not started by this checkout (configured endpoints)
    }
  })(),
  fn: async () => {
    const before = Deno.readTextFileSync(`${ROOT}.local/ports.json`);
    const pgPort = (JSON.parse(before) as Record<string, number>).LOCAL_PG_PORT!;
    const out = await new Deno.Command("node", {
      args: ["scripts/local_services.mjs", "up"],
      cwd: ROOT,
      // nothing but the port: a configured endpoint in this process's environment would make `up` start nothing
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "/tmp",
        LOCAL_PG_PORT: String(pgPort + 1),
      },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1, `${stderr}\n${new TextDecoder().decode(out.stdout)}`);
    assert.equal(
      stderr,
      `[local] PostgreSQL of this checkout is running on 127.0.0.1:${pgPort}, but LOCAL_PG_PORT=${
        pgPort + 1
      }: ` +
        `run "make local-down" first to move it to ${pgPort + 1}, or unset LOCAL_PG_PORT to keep ${pgPort} ` +
        "(the ports in use are remembered in .local/ports.json)\n",
    );
    assert.equal(Deno.readTextFileSync(`${ROOT}.local/ports.json`), before);
    const status = await new Deno.Command("node", {
      args: ["scripts/local_services.mjs", "status"],
      cwd: ROOT,
      env: { PATH: Deno.env.get("PATH") ?? "" },
      clearEnv: true,
      stdout: "piped",
    }).output();
    assert.match(new TextDecoder().decode(status.stdout), new RegExp(`LOCAL_PG_PORT=${pgPort} `));
  },
});
