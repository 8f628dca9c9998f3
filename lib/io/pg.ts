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

/** A postgres.js client. */
export type Sql = postgres.Sql;

/** OIDs whose text form is kept as is: int8, numeric, date, time, timestamp, timestamptz, timetz, interval. */
const TEXT_OIDS = [20, 1700, 1082, 1083, 1114, 1184, 1266, 1186];

/** How a connection uses TLS, named as libpq's `sslmode` (see the module doc). */
export type SslMode = "disable" | "prefer" | "require" | "verify-ca" | "verify-full";

/** The TLS modes, for checking configuration. */
export const SSL_MODES: readonly SslMode[] = ["disable", "prefer", "require", "verify-ca", "verify-full"];

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
}

/** Called when a server closes a connection this process did not close (the database went away: C2, C3). */
export type ConnectionLostHandler = (
  lost: { label: string; host: string; port: number; error?: Error },
) => void;

let connectionLost: ConnectionLostHandler | undefined;

/**
 * Sets what happens when a server drops a connection (default: nothing, postgres.js reports it on the next query).
 * postgres.js 3.4.9 can leave a query pending for ever when its socket closes mid-COPY or mid-statement, so the
 * command line sets a handler that ends the process at once with the error (exit 1) instead of hanging.
 */
export function setConnectionLostHandler(handler: ConnectionLostHandler | undefined): void {
  connectionLost = handler;
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
  const pool: PoolState = { lost: false, heldCloses: [] };
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

/** What the sockets of one pool tell the pool: whether the server dropped one of them. */
interface PoolState {
  lost: boolean;
  /** `close` events held back from postgres.js (see guardLostConnection), delivered when the pool ends. */
  heldCloses: (() => void)[];
}

/** postgres.js's codes for a connection that closed under a statement or transaction. */
const CLOSED_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED"]);

/**
 * Names the database in postgres.js's own "connection closed" errors (`write CONNECTION_CLOSED host:port`), which
 * a transaction rejects with when its connection goes away (C2, C3).
 */
function relabel(err: unknown, label: string): unknown {
  const e = err as { code?: unknown; message?: string; address?: string; port?: number };
  if (err instanceof Error && typeof e.code === "string" && CLOSED_CODES.has(e.code)) {
    err.message = `The ${label} PostgreSQL at ${e.address ?? "?"}:${e.port ?? "?"} closed the connection ` +
      `(${e.code})`;
  }
  return err;
}

/**
 * Wraps `sql.begin` so a transaction whose connection went away rejects naming the database, and `sql.end` so it
 * never waits for ever: after a server dropped one of the pool's connections, postgres.js can keep that
 * connection's statement pending, and `end()` would wait for it; it then closes the connections at once (an
 * explicit `timeout` is kept).
 */
function withLostConnectionHandling(sql: Sql, label: string, pool: PoolState): Sql {
  const begin = sql.begin.bind(sql) as (...a: unknown[]) => Promise<unknown>;
  const end = sql.end.bind(sql);
  Object.assign(sql, {
    begin: (...a: unknown[]) => begin(...a).catch((err) => Promise.reject(relabel(err, label))),
    end: (options: { timeout?: number } = {}) =>
      end(options.timeout !== undefined ? options : pool.lost ? { timeout: 0 } : {}).finally(() => {
        for (const deliver of pool.heldCloses.splice(0)) deliver();
      }),
  });
  return sql;
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

/** How long a lost connection's `close` event is held back from postgres.js (see guardLostConnection). */
const CLOSE_HOLD_MS = 500;

/**
 * Watches `socket` (the one postgres.js speaks on) for a close this process did not ask for: the server stopped or
 * restarted, or the network cut the connection (C2, C3). postgres.js 3.4.9 handles that badly: on a plain close it
 * fails a COPY by way of its stream's cleanup, which writes to the socket it has just dropped (`Cannot read
 * properties of null (reading 'write')`), leaves the statement pending for ever, reconnects for ever while
 * connecting, and any later statement on a reserved connection throws from a timer. So once the connection is
 * lost:
 * - the socket is destroyed with an error naming the database, which postgres.js passes to what is in flight;
 * - every later write fails the same way (so a `ROLLBACK` or an unlock on that connection rejects at once);
 * - the `close` event reaches postgres.js only {@link CLOSE_HOLD_MS} later (or when the pool ends), so the
 *   statements that follow a failure at once (a rollback, an unlock, on a reserved connection) still find the
 *   socket and fail with that error; then postgres.js drops the connection, which also fails a transaction whose
 *   `ROLLBACK` it queued behind the failed statement.
 *
 * The process-wide {@link setConnectionLostHandler} handler is called once per lost connection.
 */
function guardLostConnection<S extends net.Socket>(
  socket: S,
  label: string,
  host: string,
  port: number,
  pool: PoolState,
): S {
  let local = false;
  let lostError: Error | undefined;
  const end = socket.end.bind(socket);
  const destroy = socket.destroy.bind(socket);
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  socket.end = ((...a: Parameters<typeof socket.end>) => {
    local = true;
    return end(...a);
  }) as typeof socket.end;
  socket.destroy = ((e?: Error) => {
    if (!e) local = true; // with an error: the stream's own reaction to a reset, not this process's choice
    return destroy(e);
  }) as typeof socket.destroy;
  const lose = (cause?: Error) => {
    if (local || lostError) return;
    lostError = new Error(
      `The ${label} PostgreSQL at ${host}:${port} closed the connection${cause ? ` (${cause.message})` : ""}`,
      { cause },
    );
    pool.lost = true;
    connectionLost?.({ label, host, port, ...(cause ? { error: cause } : {}) });
    socket.write = ((_chunk: unknown, a?: unknown, b?: unknown) => {
      const callback = typeof a === "function" ? a : typeof b === "function" ? b : undefined;
      setTimeout(() => {
        emit("error", lostError);
        (callback as ((e: Error) => void) | undefined)?.(lostError!);
      }, 0);
      return true;
    }) as typeof socket.write;
    // a socket already destroyed (a reset) emits nothing more: pass the named error on by hand
    if (socket.destroyed) setTimeout(() => emit("error", lostError), 0);
    else destroy(lostError);
  };
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === "close" && !local) lose();
    if (event === "close" && lostError) {
      let delivered = false;
      const deliver = () => {
        if (delivered) return;
        delivered = true;
        clearTimeout(timer);
        emit("close", ...args);
      };
      const timer = setTimeout(deliver, CLOSE_HOLD_MS);
      pool.heldCloses.push(deliver);
      return true;
    }
    if (event === "error" && !lostError && !local) {
      lose(args[0] as Error); // a reset: the named error goes on instead
      return true;
    }
    return emit(event, ...args);
  }) as typeof socket.emit;
  socket.on("end", () => lose());
  return socket;
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
