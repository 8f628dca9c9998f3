/**
 * Reads the run ids of manifests out of the S3 events that trigger transform and load: EventBridge "Object
 * Created" events (`detail.object.key`) and classic S3 notifications (`Records[].s3.object.key`).
 *
 * Keys in S3 events are URL-encoded (spaces as `+`): they are decoded before use. Objects that are not manifests
 * of the expected kind are ignored (the caller logs them).
 *
 * @module
 */
import { runIdOfManifestKey } from "./ingest/manifest.ts";

/** The object keys an event names (decoded). */
export function eventObjectKeys(event: unknown): string[] {
  const e = event as {
    detail?: { object?: { key?: unknown } };
    Records?: { s3?: { object?: { key?: unknown } } }[];
  };
  const raw: unknown[] = [];
  if (e?.detail?.object?.key !== undefined) raw.push(e.detail.object.key);
  for (const r of Array.isArray(e?.Records) ? e.Records : []) raw.push(r?.s3?.object?.key);
  return raw.filter((k): k is string => typeof k === "string").map((k) =>
    decodeURIComponent(k.replace(/\+/g, " "))
  );
}

/**
 * Splits an event's keys into the run ids of manifests under `_manifests/<kind>/` and the other keys.
 */
export function manifestRunIds(
  event: unknown,
  kind: "ingest" | "transform",
): { runIds: string[]; ignored: string[] } {
  const runIds: string[] = [];
  const ignored: string[] = [];
  for (const key of eventObjectKeys(event)) {
    const id = key.startsWith(`_manifests/${kind}/`) ? runIdOfManifestKey(key) : undefined;
    if (id) runIds.push(id);
    else ignored.push(key);
  }
  return { runIds, ignored };
}
