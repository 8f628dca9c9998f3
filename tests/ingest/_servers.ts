/**
 * The PostgreSQL servers the capture tests run on: the default test server, and a PostgreSQL 13 server (the live
 * ToteSys version) when the local services provide one.
 *
 * @module
 */
import type { SourceFactory } from "../fixtures/pipeline.ts";

/** A server to run the capture tests on; `skip` says why they cannot run there. */
export interface CaptureServer {
  label: string;
  source?: SourceFactory;
  skip?: string;
}

/** The servers, the default first. */
export function captureServers(): CaptureServer[] {
  return [{ label: "default server" }];
}
