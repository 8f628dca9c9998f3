/**
 * Opens a page in Debian's headless Chromium and reports what the page did, through the DevTools protocol
 * (Chromium's own --remote-debugging-port on 127.0.0.1, a WebSocket from this process): every request the page
 * issued (the Network domain of the page's own target: Chromium's background requests are not in it) and, per
 * inline SVG chart, the data marks the browser drew.
 *
 * @module
 */

/** The Chromium binary on PATH, or null. */
export function findChromium(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of ["chromium", "chromium-browser"]) {
      try {
        const p = `${dir}/${name}`;
        if (Deno.statSync(p).isFile) return p;
      } catch { /* not here */ }
    }
  }
  return null;
}

/** Flags of every headless run: no sandbox (root), nothing in the background, a fresh profile. */
export function chromiumFlags(profile: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    `--user-data-dir=${profile}`,
  ];
}

/** What the page did. */
export interface PageInspection {
  /** URLs of every request the page sent (the document itself included). */
  requests: string[];
  /** Per `<svg>` in document order: its aria-label and how many data marks (paths, rects, ...) it holds. */
  charts: { label: string; marks: number; width: number; height: number }[];
  /** The page's title as the browser parsed it. */
  title: string;
}

/** Loads `file` (an absolute path) in headless Chromium and inspects it. */
export async function inspectPage(chromium: string, file: string): Promise<PageInspection> {
  const profile = await Deno.makeTempDir({ prefix: "report-chromium-" });
  const child = new Deno.Command(chromium, {
    args: [...chromiumFlags(profile), "--remote-debugging-port=0", "about:blank"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const wsUrl = await devtoolsUrl(child.stderr);
    const cdp = await Cdp.open(wsUrl);
    try {
      const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" }) as {
        targetId: string;
      };
      const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true }) as {
        sessionId: string;
      };
      const requests: string[] = [];
      cdp.on(
        "Network.requestWillBeSent",
        sessionId,
        (p) => requests.push((p.request as { url: string }).url),
      );
      await cdp.send("Network.enable", {}, sessionId);
      await cdp.send("Page.enable", {}, sessionId);
      const loaded = cdp.once("Page.loadEventFired", sessionId);
      await cdp.send("Page.navigate", { url: `file://${file}` }, sessionId);
      await loaded;
      await new Promise((r) => setTimeout(r, 300)); // anything the page would fetch after load
      const expr = `JSON.stringify({
        title: document.title,
        charts: [...document.querySelectorAll("svg")].map((s) => ({
          label: s.getAttribute("aria-label") || "",
          marks: s.querySelectorAll("g.role-mark > path, g.role-mark > rect, g.role-mark > line, g.role-mark > circle").length,
          width: s.getBoundingClientRect().width,
          height: s.getBoundingClientRect().height,
        })),
      })`;
      const res = await cdp.send(
        "Runtime.evaluate",
        { expression: expr, returnByValue: true },
        sessionId,
      ) as {
        result: { value: string };
      };
      const parsed = JSON.parse(res.result.value) as Omit<PageInspection, "requests">;
      return { requests, ...parsed };
    } finally {
      cdp.close();
    }
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

/** Writes a PNG screenshot of `file` with Chromium's --screenshot. */
export async function screenshot(
  chromium: string,
  file: string,
  png: string,
  size = "1000,2400",
): Promise<void> {
  const profile = await Deno.makeTempDir({ prefix: "report-chromium-" });
  try {
    const out = await new Deno.Command(chromium, {
      args: [
        ...chromiumFlags(profile),
        "--hide-scrollbars",
        `--screenshot=${png}`,
        `--window-size=${size}`,
        `file://${file}`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`chromium --screenshot failed: ${new TextDecoder().decode(out.stderr)}`);
    }
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
    if (m) {
      // keep draining stderr so Chromium never blocks on a full pipe
      (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })().catch(() => {});
      return m[1]!;
    }
  }
  throw new Error(`Chromium did not start its DevTools endpoint: ${text.slice(-500)}`);
}

type Params = Record<string, unknown>;

/** A minimal DevTools protocol client over a WebSocket (flattened sessions). */
class Cdp {
  #id = 0;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #listeners: { method: string; sessionId: string; fn: (p: Params) => void }[] = [];

  private constructor(private ws: WebSocket) {
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data as string) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: Params;
        sessionId?: string;
      };
      if (msg.id !== undefined) {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.#listeners) {
          if (l.method === msg.method && l.sessionId === msg.sessionId) l.fn(msg.params ?? {});
        }
      }
    };
  }

  static open(url: string): Promise<Cdp> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Cdp(ws));
      ws.onerror = () => reject(new Error(`Cannot connect to ${url}`));
    });
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<unknown> {
    const id = ++this.#id;
    this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 30_000);
      this.#pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  on(method: string, sessionId: string, fn: (p: Params) => void): void {
    this.#listeners.push({ method, sessionId, fn });
  }

  once(method: string, sessionId: string): Promise<Params> {
    return new Promise((resolve) => this.on(method, sessionId, resolve));
  }

  close(): void {
    this.ws.close();
  }
}
