/**
 * Runs one pipeline stage as its own Deno process and measures it: wall time from spawn to exit, and the peak
 * resident set of the whole process (`/usr/bin/time -f %M` when present, else `VmHWM` from /proc/<pid>/status,
 * polled until the process exits). Its JSON log lines (stderr) are saved to a file and passed to a callback.
 *
 * @module
 */
import { stageLaunch } from "../tools/lambda/v8_flags.ts";

/** Where GNU time lives on Debian (package `time`). */
export const GNU_TIME = "/usr/bin/time";

/** Options of {@link runMeasured}. */
export interface MeasureOptions {
  /** Environment of the child (merged over this process's). */
  env: Record<string, string>;
  /** Working directory (the repository root). */
  cwd: string;
  /** File that receives the child's stderr (its JSON log), line by line. */
  logFile: string;
  /** Called with each stderr line as it arrives. */
  onLine?: (line: string) => void;
  /** Extra `deno run` flags before the script (e.g. `--cpu-prof`). */
  denoFlags?: string[];
  /** Use polling of /proc even when GNU time is present (tests). */
  forcePoll?: boolean;
}

/** Outcome of {@link runMeasured}. */
export interface MeasuredRun {
  /** Exit code of the stage. */
  code: number;
  wallMs: number;
  /** Peak RSS in KiB, or null when neither method worked. */
  peakRssKiB: number | null;
  /** The child's stdout (the stages print one JSON result line). */
  stdout: string;
  /** The child's stderr lines. */
  lines: string[];
}

/** Whether a file exists and is executable by someone. */
async function executable(path: string): Promise<boolean> {
  try {
    const st = await Deno.stat(path);
    return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Parses GNU time's output file written with `-f %M`: the last line is the KiB figure. */
export function parseTimeOutput(text: string): number | null {
  const last = text.trim().split("\n").pop()?.trim() ?? "";
  return /^\d+$/.test(last) ? Number(last) : null;
}

/** Reads `VmHWM` (peak RSS, KiB) of a process from /proc, or null when it cannot. */
export function readVmHwm(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    rest += chunk;
    let i: number;
    while ((i = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, i);
      rest = rest.slice(i + 1);
    }
  }
  if (rest !== "") yield rest;
}

/**
 * Runs `deno run -A <V8 flags> <script> <args>` and measures it, with the V8 flags of the stages in the
 * measured code (`options.cwd`: its lambda/bootstrap's, see tools/lambda/v8_flags.ts; none for older commits).
 * See the module doc.
 *
 * @returns the exit code, wall time, peak RSS, stdout and stderr lines; never throws for a failing child.
 */
export async function runMeasured(
  script: string,
  args: string[],
  options: MeasureOptions,
): Promise<MeasuredRun> {
  const deno = Deno.execPath();
  // The stages' V8 flags and malloc settings, as the measured code's Lambda bootstrap sets them
  // (tools/lambda/v8_flags.ts).
  const launch = await stageLaunch(options.cwd, new URL("..", import.meta.url).pathname);
  const denoArgs = ["run", "-A", ...launch.flags, ...(options.denoFlags ?? []), script, ...args];
  const useTime = !options.forcePoll && await executable(GNU_TIME);
  const timeFile = useTime ? await Deno.makeTempFile({ prefix: "bench-time-" }) : null;
  const log = await Deno.open(options.logFile, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  const collected: string[] = [];
  const started = performance.now();
  const child = new Deno.Command(useTime ? GNU_TIME : deno, {
    args: useTime ? ["-o", timeFile!, "-f", "%M", deno, ...denoArgs] : denoArgs,
    cwd: options.cwd,
    env: { ...launch.env, ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let polled: number | null = null;
  const timer = useTime ? undefined : setInterval(() => {
    const v = readVmHwm(child.pid);
    if (v !== null && (polled === null || v > polled)) polled = v;
  }, 20);
  const stdoutText = new Response(child.stdout).text();
  const stderrDone = (async () => {
    for await (const line of lines(child.stderr)) {
      collected.push(line);
      await log.write(encoder.encode(line + "\n"));
      options.onLine?.(line);
    }
  })();
  const status = await child.status;
  const wallMs = performance.now() - started;
  if (timer !== undefined) clearInterval(timer);
  const [stdout] = await Promise.all([stdoutText, stderrDone]);
  log.close();
  let peak: number | null = polled;
  if (timeFile) {
    peak = parseTimeOutput(await Deno.readTextFile(timeFile));
    await Deno.remove(timeFile).catch(() => {});
  }
  return { code: status.code, wallMs, peakRssKiB: peak, stdout, lines: collected };
}

/** A JSON log line of a stage (`{"time","level","stage","msg",...}`), or null for other text. */
export function parseLogLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith("{")) return null;
  try {
    const v = JSON.parse(line);
    return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/** Log messages that carry a stage's own total time in `ms`. */
const TOTAL_MESSAGES = new Set([
  "Run committed",
  "Run loaded",
  "No changes since the previous run; nothing written",
  "Run already loaded; nothing changed",
]);

/** The stage's own time (`ms` of its last "Run committed"/"Run loaded" log line), or null. */
export function stageOwnMs(lines: readonly string[]): number | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const v = parseLogLine(lines[i]!);
    if (v && typeof v.msg === "string" && TOTAL_MESSAGES.has(v.msg) && typeof v.ms === "number") return v.ms;
  }
  return null;
}

/** 1-minute load average of the machine (0 when unknown). */
export function loadAverage(): number {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]) || 0;
  } catch {
    return 0;
  }
}
