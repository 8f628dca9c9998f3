/**
 * PostgreSQL adapter: opens postgres.js connections configured for exact values.
 *
 * - Every session runs in UTC (`timezone=UTC`), so nothing depends on the machine's `TZ`.
 * - `timestamp`, `timestamptz`, `date`, `time`, `numeric` and `int8` are returned as the server's text, never as a
 *   JS `Date` or float: timestamps keep all six fractional digits and money stays exact.
 * - TLS follows {@link ConnectOptions.tls} (`DATABASE_SSLMODE`/`DATABASE_CA_BUNDLE`, read by main/config.ts), with
 *   libpq's meanings:
 *   - `verify-full`: TLS required; the server's certificate chain must lead to an authority of the CA bundle, and
 *     its names must include the host connected to;
 *   - `verify-ca`: TLS required and the chain checked, but any name is accepted;
 *   - `require`: TLS required, the certificate is not checked (encryption without authentication);
 *   - `disable`: never TLS;
 *   - `prefer` or no `tls` option (the local loop): TLS when the server offers it, certificate not checked, unless
 *     the URL says otherwise (`sslmode=`).
 *
 *   With `require`, `verify-ca` and `verify-full` this module makes the TLS connection itself (SSLRequest, then
 *   node:tls) before postgres.js speaks: a server that does not offer TLS is refused with an error naming the
 *   server and the database, and so is one whose certificate fails the check. Those modes override an `sslmode=`
 *   in the URL.
 *
 * @module
 */
import postgres from "postgres";
import net from "node:net";
import tls from "node:tls";
import { once } from "node:events";
import { guardLostConnection, newPoolState, type PoolState, withLostConnectionHandling } from "./pg_lost.ts";
import type { SslMode } from "./ssl_modes.ts";
export { type ConnectionLostHandler, setConnectionLostHandler } from "./pg_lost.ts";

/** A postgres.js client. */
export type Sql = postgres.Sql;

/** OIDs whose text form is kept as is: int8, numeric, date, time, timestamp, timestamptz, timetz, interval. */
const TEXT_OIDS = [20, 1700, 1082, 1083, 1114, 1184, 1266, 1186];

export { SSL_MODES, type SslMode } from "./ssl_modes.ts";

/** TLS settings of {@link connect}. */
export interface TlsSettings {
  mode: SslMode;
  /**
   * PEM text of the certificate authorities trusted with `verify-ca`/`verify-full`; absent: the runtime's default
   * root certificates.
   */
  ca?: string;
  /** Where `ca` came from (a path, `rds-global`, `system`), quoted in errors. */
  caSource?: string;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Largest number of pooled connections (default 4). */
  max?: number;
  /** Name shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
  /** Which database this is, for messages (`ToteSys`, `warehouse`). */
  label?: string;
  /** TLS settings; absent: `prefer` unless the URL has `sslmode=` (see the module doc). */
  tls?: TlsSettings | undefined;
  /** Where the URL came from (`TOTESYS_DATABASE_URL`, a secret's ARN), quoted in errors by {@link connectChecked}. */
  source?: string;
}

/**
 * Opens a connection pool to the database at `url` (a `postgres://` URL).
 *
 * Values come back as described in the module doc. The caller must `await sql.end()`.
 *
 * @throws Error when `url` is empty or not a postgres URL (the URL itself is never quoted: it holds a password).
 */
export function connect(url: string, options: ConnectOptions = {}): Sql {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      "Database URL must start with postgres:// (check TOTESYS_DATABASE_URL / WAREHOUSE_DATABASE_URL)",
    );
  }
  const types: Record<string, postgres.PostgresType> = {};
  for (const oid of TEXT_OIDS) {
    types[`t${oid}`] = {
      to: oid,
      from: [oid],
      serialize: (x: unknown) => String(x),
      parse: (x: string) => x,
    };
  }
  const hasSslMode = /[?&]sslmode=/.test(url);
  const tlsSettings = options.tls;
  const mode = tlsSettings?.mode ?? "prefer";
  const label = options.label ?? "database";
  // require/verify-*: our socket is already TLS when postgres.js gets it, so postgres.js must not negotiate again.
  const ssl = mode === "prefer" ? (hasSslMode ? {} : { ssl: "prefer" as const }) : { ssl: false as const };
  const pool = newPoolState();
  const socket = mode === "require" || mode === "verify-ca" || mode === "verify-full"
    ? (o: SocketOptions) => tlsSocket(o, { ...tlsSettings!, mode }, label, pool)
    : (o: SocketOptions) => noDelaySocket(o, label, pool);
  const sql = postgres(url, {
    // not in postgres.js's type declarations, but a documented option ("socket: custom socket")
    ...({ socket } as Record<string, unknown>),
    max: options.max ?? 4,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "terrific-totes-etl", TimeZone: "UTC" },
    types,
    ...ssl,
    idle_timeout: 20,
  });
  return withLostConnectionHandling(sql, label, pool);
}

/**
 * Like {@link connect}, then logs in with one `SELECT 1`, so a wrong password, user or database name fails here
 * saying which database (C7).
 *
 * @throws Error naming the database (`label`), server, database name, user and `source`, with the server's
 *   reason, when the server refuses the login; connection errors as {@link connect}'s sockets report them.
 * @example
 * ```ts ignore
 * const sql = await connectChecked(url, { label: "warehouse", source: "WAREHOUSE_DATABASE_URL" });
 * ```
 */
export async function connectChecked(url: string, options: ConnectOptions = {}): Promise<Sql> {
  const sql = connect(url, options);
  try {
    await sql`SELECT 1`;
    return sql;
  } catch (err) {
    await sql.end({ timeout: 0 });
    const code = (err as { code?: unknown }).code;
    const u = new URL(url);
    if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) throw unreachable(err as Error, u, options);

    throw new Error(
      `The ${options.label ?? "database"} PostgreSQL at ${u.hostname}:${u.port || 5432} refused database ` +
        `"${decodeURIComponent(u.pathname.slice(1))}" for user "${decodeURIComponent(u.username)}": ` +
        `${(err as Error).message}${options.source ? ` (check ${options.source})` : ""}`,
      { cause: err },
    );
  }
}

/**
 * A connection that never reached the server's answer, said with what to check: the variable the URL came from,
 * and (locally) `make local-up`. postgres.js reports a server that accepts but never answers only as
 * `write CONNECT_TIMEOUT undefined:undefined`; that is said as the database, host and port that stayed silent.
 */
function unreachable(err: Error, u: URL, options: ConnectOptions): Error {
  const where = `the ${options.label ?? "database"} PostgreSQL at ${u.hostname}:${u.port || 5432}`;
  const check = `check ${options.source ?? "the database URL"}; locally, make local-up starts the services`;
  if ((err as { code?: unknown }).code === "CONNECT_TIMEOUT") {
    return new Error(`No answer from ${where} within 30 s of connecting (${check})`, { cause: err });
  }
  if (err.message.startsWith("Cannot connect")) return new Error(`${err.message} (${check})`, { cause: err });
  return err;
}

/**
 * Opens the TCP connection with Nagle's algorithm off. Under Deno, node:net sockets do not default to
 * `noDelay`, and a COPY (CopyData then CopyDone, two small writes) then waits for the server's delayed ACK: about
 * 40 ms per COPY and per statement after it. postgres.js adds TLS on top of this socket when the server offers it.
 */
async function noDelaySocket(
  options: SocketOptions,
  label: string,
  pool: PoolState,
  guard = true,
): Promise<net.Socket> {
  const host = options.host?.[0] ?? "localhost";
  const port = options.port?.[0] ?? 5432;
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  // A timer that is cleared once connected: an AbortSignal.timeout() would keep the process alive for 30 s.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  try {
    await once(socket, "connect", { signal: abort.signal });
  } catch (err) {
    socket.destroy();
    const reason = (err as Error).name === "AbortError" ? "timed out after 30 s" : (err as Error).message;
    throw new Error(`Cannot connect to the ${label} PostgreSQL at ${host}:${port}: ${reason}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
  return guard ? guardLostConnection(socket, label, host, port, pool) : socket;
}

/** The part of postgres.js's parsed options that a socket function receives and uses. */
interface SocketOptions {
  host?: string[];
  port?: number[];
  database?: string;
}

/** PostgreSQL's SSLRequest message: length 8, code 80877103. */
const SSL_REQUEST = new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Opens the connection and turns it into TLS the way libpq does (SSLRequest, the server answers `S` or `N`, then
 * the TLS handshake), checking the certificate as `settings.mode` says. postgres.js then speaks the protocol on
 * the returned TLS socket.
 *
 * @throws Error naming the server, the database and the mode when the server does not offer TLS, or when its
 * certificate is not signed by the bundle or does not name the host (verify-full).
 */
async function tlsSocket(
  options: SocketOptions,
  settings: TlsSettings & { mode: "require" | "verify-ca" | "verify-full" },
  label: string,
  pool: PoolState,
): Promise<tls.TLSSocket> {
  const host = options.host?.[0] ?? "localhost";
  const port = options.port?.[0] ?? 5432;
  const where = `PostgreSQL at ${host}:${port} (database "${options.database ?? "?"}")`;
  const socket = await noDelaySocket(options, label, pool, false);
  const signal = AbortSignal.timeout(30_000);
  let answer: string;
  try {
    socket.write(SSL_REQUEST);
    const [data] = await once(socket, "data", { signal }) as [Uint8Array];
    answer = String.fromCharCode(data[0] ?? 0);
  } catch (err) {
    socket.destroy();
    throw new Error(`${where} did not answer the TLS request: ${(err as Error).message}`, { cause: err });
  }
  if (answer !== "S") {
    socket.destroy();
    throw new Error(
      `${where} does not accept TLS connections, and DATABASE_SSLMODE=${settings.mode} requires TLS: refusing ` +
        "to connect without it (turn ssl on at the server, or check the host and port)",
    );
  }
  const verify = settings.mode !== "require";
  const secure = tls.connect({
    socket,
    // SNI and the name check need a host name; an IP address is checked against the certificate's IP entries.
    ...(net.isIP(host) ? {} : { servername: host }),
    ...(verify && settings.ca !== undefined ? { ca: settings.ca } : {}),
    rejectUnauthorized: verify,
    checkServerIdentity: settings.mode === "verify-full"
      ? (_name: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(host, cert)
      : () => undefined,
  });
  try {
    await once(secure, "secureConnect", { signal });
  } catch (err) {
    secure.destroy();
    const reason = (err as Error).name === "AbortError" ? "timed out after 30 s" : (err as Error).message;
    throw new Error(
      `TLS to ${where} failed (DATABASE_SSLMODE=${settings.mode}, CA bundle ${
        settings.caSource ?? "system"
      }): ${reason}`,
      { cause: err },
    );
  }
  return guardLostConnection(secure, label, host, port, pool);
}
