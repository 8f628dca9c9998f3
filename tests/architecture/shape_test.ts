/**
 * The code's shape, as issue 13 sets it: pure cores with the IO in adapters (`lib/io/`), short files and short
 * functions. Each rule is checked over the source tree, so a regression names the file and line to fix.
 *
 * - No `lib/` file outside `lib/io/` imports postgres.js or the AWS SDK, reads `Deno.env` or the clock.
 * - No source file (tests apart) has more than {@link MAX_FILE_LINES} lines.
 * - No function (tests apart) spans more than {@link MAX_FUNCTION_LINES} lines.
 *
 * `known_offences.ts` lists what is still to be fixed: a test fails on a new offence, and also on a listed one
 * that is gone (remove it from the list), so the list only shrinks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import ts from "typescript";
import { KNOWN_OFFENCES } from "./known_offences.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Folders of the project's own TypeScript (tools/deno is the npm-installed Deno). */
const SOURCE_DIRS = ["lib", "main", "scripts", "bench", "tools/totesys", "tools/lambda"];
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

/** Lines of generated or tabular data, not logic: held to no length. */
const DATA_FILES = new Set(["tools/totesys/seed_words.ts"]);

/** IO that only adapters may reach: an import specifier or a source pattern, and what it is. */
const IO_RULES: { pattern: RegExp; what: string }[] = [
  { pattern: /from\s+"(postgres|npm:postgres[^"]*)"/, what: "imports postgres.js" },
  { pattern: /from\s+"(@aws-sdk\/[^"]*|npm:@aws-sdk\/[^"]*)"/, what: "imports the AWS SDK" },
  { pattern: /\bDeno\.env\b/, what: "reads Deno.env" },
  {
    pattern: /\bDate\.now\(\)|\bnew Date\(\)|\bperformance\.now\(\)|\bTemporal\.Now\b/,
    what: "reads the clock",
  },
];

/** Asserts that `found` is exactly the known offences of `rule`, naming what is new and what is fixed. */
function assertKnown(rule: keyof typeof KNOWN_OFFENCES, all: string[]): void {
  const found = [...new Set(all)];
  const known = new Set(KNOWN_OFFENCES[rule]);
  const foundSet = new Set(found);
  assert.deepEqual(
    { new: found.filter((o) => !known.has(o)), fixed: [...known].filter((o) => !foundSet.has(o)) },
    { new: [], fixed: [] },
    `Offences of "${rule}": fix the new ones; remove the fixed ones from tests/architecture/known_offences.ts`,
  );
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && entry.name !== "node_modules" && entry.name !== "migrations") {
      yield* sourceFiles(path);
    } else if (entry.isFile && /\.(ts|mjs)$/.test(entry.name) && !/_test\.ts$/.test(entry.name)) yield path;
  }
}

async function allSources(): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const dir of SOURCE_DIRS) {
    for await (const file of sourceFiles(ROOT + dir)) {
      out.push({ path: relative(ROOT, file), text: await Deno.readTextFile(file) });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Code without comments, so a TSDoc example that mentions the clock is not counted. */
function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(
    /(^|[^:])\/\/.*$/gm,
    "$1",
  );
}

Deno.test("no lib/ file outside lib/io/ imports postgres.js or the AWS SDK, or reads Deno.env or the clock", async () => {
  const offences: string[] = [];
  for (const { path, text } of await allSources()) {
    if (!path.startsWith("lib/") || path.startsWith("lib/io/")) continue;
    const code = codeOnly(text).split("\n");
    code.forEach((line) => {
      for (const rule of IO_RULES) if (rule.pattern.test(line)) offences.push(`${path} ${rule.what}`);
    });
  }
  assertKnown("io", offences);
});

Deno.test(`no source file has more than ${MAX_FILE_LINES} lines`, async () => {
  const offences = (await allSources())
    .filter(({ path }) => !DATA_FILES.has(path))
    .map(({ path, text }) => ({ path, lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0) }))
    .filter(({ lines }) => lines > MAX_FILE_LINES)
    .map(({ path }) => path);
  assertKnown("fileLength", offences);
});

Deno.test(`no function has more than ${MAX_FUNCTION_LINES} lines`, async () => {
  const offences: string[] = [];
  for (const { path, text } of await allSources()) {
    if (!path.endsWith(".ts")) continue;
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
        const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
        if (end - start + 1 > MAX_FUNCTION_LINES) {
          const name = ts.getNameOfDeclaration(node as ts.Declaration)?.getText(file) ?? "(anonymous)";
          offences.push(`${path} ${name}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  assertKnown("functionLength", offences);
});
