/**
 * Structured logs: one JSON object per line on stderr (CloudWatch in AWS, the terminal locally).
 *
 * Never pass credentials or connection URLs in `fields`.
 *
 * @module
 */

/** A log line's fields: plain JSON values. */
export type LogFields = Record<string, unknown>;

/** Where log lines go; tests pass their own to capture them. */
export type LogSink = (line: string) => void;

let sink: LogSink = (line) => {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
  } catch {
    // stderr closed: nothing else to do
  }
};

/** Replaces where log lines go (returns the previous sink). Used by tests and the quiet CLI mode. */
export function setLogSink(next: LogSink): LogSink {
  const prev = sink;
  sink = next;
  return prev;
}

/** Writes one log line `{"level", "stage", "msg", ...fields}` with an ISO-8601 UTC `time`. */
export function log(
  level: "info" | "warn" | "error",
  stage: string,
  msg: string,
  fields: LogFields = {},
): void {
  sink(JSON.stringify({ time: new Date().toISOString(), level, stage, msg, ...fields }));
}
