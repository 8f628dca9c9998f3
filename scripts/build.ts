/**
 * `make build`: packages the three Lambda functions and the deno layer under `dist/`.
 *
 * For each function `<fn>` of `ingest`, `transform`, `load`, `reconcile`:
 * 1. writes the entry `dist/.entries/<fn>.ts` (tools/lambda/entry.ts: the Runtime API loop around `main/<fn>.ts`);
 * 2. bundles it with `deno bundle --platform deno` into `dist/<fn>/index.js` (one file: npm packages, the
 *    parquet-wasm bytes and the SQL text imports are inlined, so nothing is fetched at cold start);
 * 3. zips `bootstrap` (lambda/bootstrap, mode 755) and `index.js` into `dist/<fn>.zip`.
 *
 * The functions that open database connections (ingest, load, reconcile) also get `certs/rds-global-bundle.pem`, the Amazon RDS
 * global certificate bundle that `DATABASE_CA_BUNDLE=rds-global` (Terraform's default, with
 * `DATABASE_SSLMODE=verify-full`) reads from the unzipped function. It is public but not in this repository:
 * fetch it into `certs/` before building (certs/README.md). Without it the build still succeeds and prints a
 * warning: the build cannot know how the functions will be configured (Terraform variables, chosen at plan time;
 * LocalStack uses `disable`, others `system` or their own path), and `make build` must work offline on a fresh
 * clone. Terraform's plan refuses `rds-global` with verification on while the file is missing
 * (terraform/lambda.tf), and a function started without it fails at its first connection, naming the file.
 *
 * Then `dist/deno-layer.zip` holds the deno binary at `bin/deno` (Lambda mounts it at `/opt/bin/deno`). The
 * binary is `$DENO_LAYER_BINARY` if set, else the deno running this script (the npm `deno` package's binary); it
 * must be a Linux x86-64 executable (the functions are `x86_64`).
 *
 * Zips use the `zip` command when present (`-X`, fixed timestamps, so rebuilding gives the same bytes), else the
 * writer in tools/lambda/zip.ts. Sizes are printed at the end.
 *
 * Usage: `deno run -A scripts/build.ts [--embed-deno] [--no-layer] [fn ...]`
 * - `--embed-deno`: also put `bin/deno` in each function zip (LocalStack Community does not apply layers).
 * - `--no-layer`: skip the layer zip.
 *
 * @module
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { entrySource } from "../tools/lambda/entry.ts";
import { assertLinuxX64, hasZipCommand, type PackFile, run, writeZip } from "./build_zip.ts";

/** The functions, each bundled from `main/<name>.ts`. */
export const FUNCTIONS = ["ingest", "transform", "load", "reconcile"] as const;

/** The functions that connect to a database, and so get the RDS certificate bundle. */
export const DATABASE_FUNCTIONS = ["ingest", "load", "reconcile"] as const;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The RDS global bundle's place in the repository and in each database function's zip. */
export const RDS_BUNDLE_NAME = "certs/rds-global-bundle.pem";

/** Where AWS publishes the RDS global bundle. */
export const RDS_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";

/** Options of {@link build}. */
export interface BuildOptions {
  /** Functions to build (default: all three). */
  functions?: readonly string[];
  /** Output folder (default `<repo>/dist`). */
  outDir?: string;
  /** Put the deno binary into each function zip as well. */
  embedDeno?: boolean;
  /** Write `deno-layer.zip` (default true). */
  layer?: boolean;
  /** Handler module of each function (default `main/<fn>.ts`); tests point this at a fixture. */
  handlerModule?: (fn: string) => string;
  /** The deno binary for the layer (default `$DENO_LAYER_BINARY` or the running deno). */
  denoBinary?: string;
  /** Use the `zip` command (default: when it is installed); `false` forces tools/lambda/zip.ts. */
  zipCommand?: boolean;
  /** The RDS certificate bundle to ship (default `<repo>/certs/rds-global-bundle.pem`). */
  rdsBundle?: string;
  /** Functions whose zip gets the bundle (default {@link DATABASE_FUNCTIONS}). */
  rdsBundleFunctions?: readonly string[];
  /** Where warnings go (default `console.warn`). */
  warn?: (message: string) => void;
}

/** One written artifact and its size in bytes. */
export interface Artifact {
  path: string;
  bytes: number;
}

/**
 * The RDS bundle to ship, or null (after a warning naming the functions and how to fetch it) when it is missing.
 *
 * @throws Error when the file exists but holds no PEM certificate (a failed download saved as an HTML page).
 */
async function checkRdsBundle(
  path: string,
  functions: readonly string[],
  warn: (message: string) => void = console.warn,
): Promise<string | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    warn(
      `warning: ${relative(root, path)} is missing, so ${
        functions.join(" and ")
      } are built without the RDS ` +
        "certificate bundle: with DATABASE_SSLMODE=verify-full/verify-ca and DATABASE_CA_BUNDLE=rds-global " +
        "(Terraform's defaults) they refuse to connect, and terraform plan stops. Fetch it first: " +
        `curl -fsSo ${RDS_BUNDLE_NAME} ${RDS_BUNDLE_URL} (certs/README.md)`,
    );
    return null;
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new Error(`${path} holds no PEM certificate: fetch it again from ${RDS_BUNDLE_URL}`);
  }
  return path;
}

/** Human-readable size (`12.3 MB`). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Bundles `handlerModule` under the Runtime API loop into `outFile` with `deno bundle`.
 *
 * @throws Error with deno's output when bundling fails.
 */
export async function bundleFunction(
  handlerModule: string,
  entryFile: string,
  outFile: string,
): Promise<void> {
  await Deno.mkdir(dirname(entryFile), { recursive: true });
  await Deno.mkdir(dirname(outFile), { recursive: true });
  const spec = (target: string) => {
    const rel = relative(dirname(entryFile), target).replaceAll("\\", "/");
    return rel.startsWith(".") ? rel : `./${rel}`;
  };
  await Deno.writeTextFile(
    entryFile,
    entrySource(spec(handlerModule), spec(join(root, "lib/io/lambda_runtime.ts"))),
  );
  await run(Deno.execPath(), [
    "bundle",
    "--quiet",
    "--platform",
    "deno",
    "--format",
    "esm",
    "--config",
    join(root, "deno.json"),
    "--output",
    outFile,
    entryFile,
  ], { cwd: root });
}

/**
 * Builds the function zips (and the layer zip) described in the module doc.
 *
 * @returns the written zips and their sizes.
 * @throws Error when a handler module is missing, bundling fails, or the layer binary is not Linux x86-64.
 */
export async function build(options: BuildOptions = {}): Promise<Artifact[]> {
  const outDir = options.outDir ?? join(root, "dist");
  const functions = options.functions ?? FUNCTIONS;
  const handlerOf = options.handlerModule ?? ((fn: string) => join(root, "main", `${fn}.ts`));
  const denoBinary = options.denoBinary ?? Deno.env.get("DENO_LAYER_BINARY") ?? Deno.execPath();
  const useZipCommand = options.zipCommand ?? await hasZipCommand();
  const bootstrap = join(root, "lambda", "bootstrap");
  const artifacts: Artifact[] = [];
  await Deno.mkdir(outDir, { recursive: true });
  if (options.embedDeno || options.layer !== false) await assertLinuxX64(denoBinary);
  const rdsBundleFunctions = options.rdsBundleFunctions ?? DATABASE_FUNCTIONS;
  const needBundle = functions.filter((fn) => rdsBundleFunctions.includes(fn));
  const rdsBundle = needBundle.length > 0
    ? await checkRdsBundle(options.rdsBundle ?? join(root, RDS_BUNDLE_NAME), needBundle, options.warn)
    : null;

  for (const fn of functions) {
    const handler = handlerOf(fn);
    try {
      await Deno.stat(handler);
    } catch {
      throw new Error(
        `Cannot build function ${fn}: its handler module ${relative(root, handler)} does not exist`,
      );
    }
    const bundle = join(outDir, fn, "index.js");
    await bundleFunction(handler, join(outDir, ".entries", `${fn}.ts`), bundle);
    const files: PackFile[] = [
      { source: bootstrap, name: "bootstrap", mode: 0o755 },
      { source: bundle, name: "index.js", mode: 0o644 },
    ];
    if (options.embedDeno) files.push({ source: denoBinary, name: "bin/deno", mode: 0o755 });
    if (rdsBundle && rdsBundleFunctions.includes(fn)) {
      files.push({ source: rdsBundle, name: RDS_BUNDLE_NAME, mode: 0o644 });
    }
    const zipPath = join(outDir, `${fn}.zip`);
    await writeZip(zipPath, files, useZipCommand);
    artifacts.push({ path: zipPath, bytes: (await Deno.stat(zipPath)).size });
  }

  if (options.layer !== false) {
    const layerZip = join(outDir, "deno-layer.zip");
    await writeZip(layerZip, [{ source: denoBinary, name: "bin/deno", mode: 0o755 }], useZipCommand);
    artifacts.push({ path: layerZip, bytes: (await Deno.stat(layerZip)).size });
  }
  return artifacts;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const flags = new Set(args.filter((a) => a.startsWith("--")));
  const names = args.filter((a) => !a.startsWith("--"));
  for (const f of flags) {
    if (f !== "--embed-deno" && f !== "--no-layer") {
      console.error(`Unknown option ${f}: use --embed-deno, --no-layer, and function names`);
      Deno.exit(2);
    }
  }
  for (const n of names) {
    if (!(FUNCTIONS as readonly string[]).includes(n)) {
      console.error(`Unknown function "${n}": use ${FUNCTIONS.join(", ")}`);
      Deno.exit(2);
    }
  }
  const started = performance.now();
  const artifacts = await build({
    functions: names.length > 0 ? names : FUNCTIONS,
    embedDeno: flags.has("--embed-deno"),
    layer: !flags.has("--no-layer"),
  });
  const width = Math.max(...artifacts.map((a) => relative(root, a.path).length));
  for (const a of artifacts) {
    console.log(`${relative(root, a.path).padEnd(width)}  ${formatSize(a.bytes).padStart(9)}`);
  }
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
