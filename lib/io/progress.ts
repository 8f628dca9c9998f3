/**
 * Progress of long stages on stderr (C22): the stages call an optional {@link ProgressCallback} with the table
 * they are on and its rows so far; a {@link ProgressReporter} turns those calls into a live line on a terminal
 * (redrawn in place) or a plain line every few seconds otherwise. A timer keeps it talking while a single
 * statement runs (a merge, an upload): it never stays silent longer than its interval.
 *
 * The stages only know the callback type; nothing here is required for them to run.
 *
 * @module
 */

/** One progress report from a stage. */
export interface ProgressEvent {
  stage: "ingest" | "transform" | "load";
  /** The table being read or written (source table for ingest, warehouse table otherwise). */
  table: string;
  /** Rows of that table so far. */
  rows: number;
  /** What the stage is doing with it (`read`, `write`, `copy`, `merge`...), when it says. */
  phase?: string;
  /** The run. */
  runId?: string;
}

/** What stages call, when given one. Must be cheap: it is called every few thousand rows. */
export type ProgressCallback = (event: ProgressEvent) => void;

/** Settings of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where text goes (default: stderr). */
  write?: (text: string) => void;
  /** A terminal: redraw one live line (default: whether stderr is a terminal). */
  tty?: boolean;
  /** Milliseconds between lines when not a terminal (default 3000); a terminal is redrawn every 250 ms. */
  intervalMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");

function stderrWrite(text: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
    // stderr closed
  }
}

/**
 * Collects progress events and prints `<stage> <table>: N rows, R rows/s (<phase>), <elapsed> s` lines.
 * `start()` begins the timer, `stop()` ends it (and ends the live line). {@link ProgressReporter.callback} is what
 * the stages take.
 */
export class ProgressReporter {
  readonly #write: (text: string) => void;
  readonly #tty: boolean;
  readonly #interval: number;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #current: ProgressEvent | undefined;
  #tableStarted = 0;
  #started = 0;
  #live = false;
  /** Runs reported so far: once there are two (a catch-up), each line names its run. */
  readonly #runs = new Set<string>();

  constructor(options: ProgressReporterOptions = {}) {
    this.#write = options.write ?? stderrWrite;
    this.#tty = options.tty ?? Deno.stderr.isTerminal();
    this.#interval = options.intervalMs ?? (this.#tty ? 250 : 3000);
    this.#now = options.now ?? (() => performance.now());
  }

  /** The callback to pass to the stages. */
  readonly callback: ProgressCallback = (event) => {
    const cur = this.#current;
    if (!cur || cur.stage !== event.stage || cur.table !== event.table || cur.runId !== event.runId) {
      this.#tableStarted = this.#now();
    }
    if (event.runId !== undefined && this.#runs.size < 2) this.#runs.add(event.runId);
    this.#current = event;
  };

  /** The last event reported, if any (what a failure message can name). */
  get current(): ProgressEvent | undefined {
    return this.#current;
  }

  /** Starts the timer; the first line comes after one interval. */
  start(): this {
    this.#started = this.#now();
    this.#timer = setInterval(() => this.tick(), this.#interval);
    Deno.unrefTimer(this.#timer);
    return this;
  }

  /** The line describing the current state, or a heartbeat when no stage reported yet. */
  line(): string {
    const elapsed = ((this.#now() - this.#started) / 1000).toFixed(0);
    const e = this.#current;
    if (!e) return `working... ${elapsed} s`;
    const secs = Math.max((this.#now() - this.#tableStarted) / 1000, 1e-3);
    const rate = e.rows > 0 ? `, ${fmt(e.rows / secs)} rows/s` : "";
    const phase = e.phase ? ` (${e.phase})` : "";
    const run = this.#runs.size > 1 && e.runId !== undefined ? `, run ${e.runId}` : "";
    return `${e.stage} ${e.table}: ${fmt(e.rows)} rows${rate}${phase}${run}, ${elapsed} s`;
  }

  /** Prints the current line (the timer calls this). */
  tick(): void {
    if (this.#tty) {
      this.#write(`\r\x1b[2K${this.line()}`);
      this.#live = true;
    } else {
      this.#write(`${this.line()}\n`);
    }
  }

  /** Stops the timer and clears the live line. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#live) this.#write("\r\x1b[2K");
    this.#live = false;
  }
}
