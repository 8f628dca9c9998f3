/**
 * Moved to lib/run (issue 13): keys in `lib/run/layout.ts`, shapes in `lib/run/manifest.ts`. Kept for the
 * modules that still import it here (lib/transform, lib/status, lib/rebuild, main/etl.ts, some tests) until they
 * import lib/run.
 *
 * @module
 */
export {
  INGEST_MANIFEST_PREFIX,
  INGEST_POINTER_KEY,
  ingestManifestKey,
  ingestObjectKey,
  ingestStateKey,
  runIdOfManifestKey,
} from "../run/layout.ts";
export {
  type IngestManifest,
  type IngestState,
  INITIAL_INGEST_STATE,
  type ManifestTable,
  type TableCaptureState,
} from "../run/manifest.ts";
