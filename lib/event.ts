/**
 * Reads the run ids of manifests out of the S3 events that trigger transform and load: EventBridge "Object
 * Created" events (`detail.object.key`) and classic S3 notifications (`Records[].s3.object.key`).
 *
 * Keys in S3 events are URL-encoded (spaces as `+`): they are decoded before use. Objects that are not manifests
 * of the expected kind are ignored (the caller logs them).
 *
 * @module
 */
import { type ManifestKind, manifestRunId } from "./run/layout.ts";

/** A key whose URL-encoding is malformed (`%ZZ`, a lone `%`, a truncated UTF-8 sequence): not decodable (C1). */
export interface MalformedKey {
  /** The key as the event holds it (URL-encoded). */
  raw: string;
  /** Why it could not be decoded (the `URIError`'s message). */
  error: string;
}

/**
 * The object keys an event names, decoded; keys that cannot be decoded go to `malformed` (quoted as received), so
 * one bad key never stops the valid ones beside it.
 */
export function eventObjectKeysChecked(event: unknown): { keys: string[]; malformed: MalformedKey[] } {
  const keys: string[] = [];
  const malformed: MalformedKey[] = [];
  for (const raw of rawKeys(event)) {
    try {
      keys.push(decodeURIComponent(raw.replace(/\+/g, " ")));
    } catch (err) {
      malformed.push({ raw, error: (err as Error).message });
    }
  }
  return { keys, malformed };
}

function rawKeys(event: unknown): string[] {
  const e = event as {
    detail?: { object?: { key?: unknown } };
    Records?: { s3?: { object?: { key?: unknown } } }[];
  };
  const raw: unknown[] = [];
  if (e?.detail?.object?.key !== undefined) raw.push(e.detail.object.key);
  for (const r of Array.isArray(e?.Records) ? e.Records : []) raw.push(r?.s3?.object?.key);
  return raw.filter((k): k is string => typeof k === "string");
}

/** The object keys an event names (decoded); malformed keys are left out (see {@link eventObjectKeysChecked}). */
export function eventObjectKeys(event: unknown): string[] {
  return eventObjectKeysChecked(event).keys;
}

/**
 * Splits an event's keys into the run ids of manifests under `_manifests/<kind>/` and the other keys.
 *
 * @example
 * ```ts
 * import { manifestRunIds } from "./event.ts";
 * import assert from "node:assert/strict";
 *
 * const event = { detail: { object: { key: "_manifests/ingest/20261130T084501123Z-0a1b2c.json" } } };
 * assert.deepEqual(manifestRunIds(event, "ingest"), {
 *   runIds: ["20261130T084501123Z-0a1b2c"],
 *   ignored: [],
 *   malformed: [],
 * });
 * assert.deepEqual(manifestRunIds(event, "transform").ignored, [event.detail.object.key]);
 * ```
 */
export function manifestRunIds(
  event: unknown,
  kind: ManifestKind,
): { runIds: string[]; ignored: string[]; malformed: MalformedKey[] } {
  const runIds: string[] = [];
  const ignored: string[] = [];
  const { keys, malformed } = eventObjectKeysChecked(event);
  for (const key of keys) {
    const id = manifestRunId(key, kind);
    if (id) runIds.push(id);
    else ignored.push(key);
  }
  return { runIds, ignored, malformed };
}
