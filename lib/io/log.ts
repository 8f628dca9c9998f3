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

let context: LogFields = {};

/**
 * Sets fields added to every log line until changed (the Lambda runtime sets `requestId` for each invocation, so
 * every line of an invocation can be found with it in CloudWatch Logs Insights). Returns the previous fields.
 */
export function setLogContext(fields: LogFields): LogFields {
  const prev = context;
  context = fields;
  return prev;
}

/**
 * Writes one log line `{"time", "level", "stage", "msg", ...context, ...fields}`: `time` in ISO-8601 UTC, `level`
 * one of info, warn, error; the context's fields (e.g. `requestId`) before the call's own.
 */
export function log(
  level: "info" | "warn" | "error",
  stage: string,
  msg: string,
  fields: LogFields = {},
): void {
  sink(JSON.stringify({ time: new Date().toISOString(), level, stage, msg, ...context, ...fields }));
}
