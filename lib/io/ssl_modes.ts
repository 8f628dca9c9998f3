/**
 * The TLS modes of a database connection, named as libpq's `sslmode`, apart from the driver (lib/io/pg.ts) so that
 * checking configuration does not load it.
 *
 * @module
 */

/** How a connection uses TLS, named as libpq's `sslmode` (see lib/io/pg.ts's module doc). */
export type SslMode = "disable" | "prefer" | "require" | "verify-ca" | "verify-full";

/**
 * The TLS modes, for checking configuration.
 *
 * @example
 * ```ts
 * import { SSL_MODES } from "./ssl_modes.ts";
 * if (!SSL_MODES.includes("verify-full")) throw new Error("verify-full missing");
 * ```
 */
export const SSL_MODES: readonly SslMode[] = ["disable", "prefer", "require", "verify-ca", "verify-full"];
