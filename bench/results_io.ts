/**
 * Writing the benchmark's results: the JSON and the generated block of the Markdown report.
 *
 * @module
 */
import { BEGIN_MARKER, type BenchResult, END_MARKER, generatedMarkdown, mergeMarkdown } from "./report.ts";
import { progress } from "./log.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Writes the JSON result and the Markdown report. */
export async function writeResults(result: BenchResult, jsonPath: string, mdPath: string): Promise<void> {
  await Deno.writeTextFile(jsonPath, JSON.stringify(result, null, 1) + "\n");
  await writeMarkdown(result, mdPath);
  progress(`wrote ${jsonPath} and ${mdPath}`);
}

/** Rewrites the generated block of the Markdown report, keeping the rest of the file, and formats it. */
export async function writeMarkdown(result: BenchResult, mdPath: string): Promise<void> {
  let existing: string | undefined;
  try {
    existing = await Deno.readTextFile(mdPath);
  } catch {
    existing = undefined;
  }
  await Deno.writeTextFile(mdPath, mergeMarkdown(existing, generatedMarkdown(result)));
  // The project's formatter (lineWidth, aligned tables), so `deno fmt --check` stays clean.
  const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", mdPath], cwd: ROOT })
    .output();
  if (!fmt.success) progress(`deno fmt ${mdPath} failed: ${new TextDecoder().decode(fmt.stderr)}`);
}

/** The generated block of the Markdown file as written (formatted), or `fallback` when it cannot be read. */
export async function writtenBlock(mdPath: string, fallback: string): Promise<string> {
  try {
    const text = await Deno.readTextFile(mdPath);
    const a = text.indexOf(BEGIN_MARKER);
    const b = text.indexOf(END_MARKER);
    return a >= 0 && b > a ? text.slice(a + BEGIN_MARKER.length, b).trim() : fallback;
  } catch {
    return fallback;
  }
}
