/**
 * PostgreSQL adapter: opens postgres.js connections configured for exact values.
 *
 * - Every session runs in UTC (`timezone=UTC`), so nothing depends on the machine's `TZ`.
 * - `timestamp`, `timestamptz`, `date`, `time`, `numeric` and `int8` are returned as the server's text, never as a
 *   JS `Date` or float: timestamps keep all six fractional digits and money stays exact.
 * - TLS is used when the server offers it (`ssl: "prefer"`), unless the URL says otherwise (`sslmode=`).
 *
 * @module
 */
import postgres from "postgres";

/** A postgres.js client. */
export type Sql = postgres.Sql;

/** OIDs whose text form is kept as is: int8, numeric, date, time, timestamp, timestamptz, timetz, interval. */
const TEXT_OIDS = [20, 1700, 1082, 1083, 1114, 1184, 1266, 1186];

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Largest number of pooled connections (default 4). */
  max?: number;
  /** Name shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
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
  return postgres(url, {
    max: options.max ?? 4,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "terrific-totes-etl", TimeZone: "UTC" },
    types,
    ...(hasSslMode ? {} : { ssl: "prefer" as const }),
    idle_timeout: 20,
  });
}
