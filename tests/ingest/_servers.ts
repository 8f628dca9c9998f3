/**
 * The PostgreSQL servers the capture tests run on: the default test server, and a PostgreSQL 13 server (the live
 * ToteSys version, started by the local services) when TOTESYS13_DATABASE_URL names one.
 *
 * @module
 */
import type { SourceFactory } from "../fixtures/pipeline.ts";
import { freshDatabase13, serviceEnv } from "../harness.ts";

/** A server to run the capture tests on; `skip` says why they cannot run there. */
export interface CaptureServer {
  label: string;
  source?: SourceFactory;
  skip?: string;
}

/** The servers, the default first. */
export function captureServers(): CaptureServer[] {
  const pg13: CaptureServer = serviceEnv("TOTESYS13_DATABASE_URL")
    ? {
      label: "PostgreSQL 13",
      source: async (prefix) => {
        const db = await freshDatabase13(prefix);
        if (!db) throw new Error("TOTESYS13_DATABASE_URL is set but no PostgreSQL 13 database could be made");
        return db;
      },
    }
    : {
      label: "PostgreSQL 13",
      skip: "Skipped on PostgreSQL 13: TOTESYS13_DATABASE_URL is unset (`make local-up` starts that server)",
    };
  return [{ label: "default server" }, pg13];
}
