/**
 * Packaging helpers of scripts/build.ts: running a command, checking the layer's binary, writing a zip with
 * fixed modes and times (by the `zip` command when present, else tools/lambda/zip.ts).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { zipBytes, type ZipEntry } from "../tools/lambda/zip.ts";

const FIXED_TIME = new Date("1980-01-01T00:00:00Z");

/** A file to put in a zip: its path on disk and its name and mode inside the archive. */
export interface PackFile {
  source: string;
  name: string;
  mode: number;
}

/** Runs `cmd` and returns its stdout. @throws Error with its stderr when it fails. */
export async function run(cmd: string, args: string[], opts: Deno.CommandOptions = {}): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", ...opts }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (exit ${out.code}):\n${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return text;
}

/** Whether the `zip` command is installed. */
export async function hasZipCommand(): Promise<boolean> {
  try {
    const out = await new Deno.Command("zip", { args: ["-v"], stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** Checks that `path` is a Linux x86-64 ELF executable. @throws Error naming the file and what it is instead. */
export async function assertLinuxX64(path: string): Promise<void> {
  const file = await Deno.open(path);
  try {
    const head = new Uint8Array(20);
    await file.read(head);
    const elf = head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
    const machine = head[18]! | (head[19]! << 8);
    if (!elf || machine !== 0x3e) {
      throw new Error(
        `${path} is not a Linux x86-64 executable (ELF ${elf}, machine 0x${machine.toString(16)}): set ` +
          "DENO_LAYER_BINARY to the linux-x64-glibc deno (npm @deno/linux-x64-glibc)",
      );
    }
  } finally {
    file.close();
  }
}

/** Writes `zipPath` with `files`, by the `zip` command when present, else tools/lambda/zip.ts. */
export async function writeZip(zipPath: string, files: PackFile[], useZipCommand: boolean): Promise<void> {
  await Deno.remove(zipPath).catch(() => {});
  if (!useZipCommand) {
    const entries: ZipEntry[] = [];
    for (const f of files) entries.push({ name: f.name, data: await Deno.readFile(f.source), mode: f.mode });
    await Deno.writeFile(zipPath, await zipBytes(entries));
    return;
  }
  // Stage the files under their archive names with fixed modes and times: `zip -X` then gives the same bytes.
  const stage = await Deno.makeTempDir({ prefix: "lambda-zip-" });
  try {
    for (const f of files) {
      const target = join(stage, f.name);
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.copyFile(f.source, target);
      await Deno.chmod(target, f.mode);
      await Deno.utime(target, FIXED_TIME, FIXED_TIME);
    }
    const args = ["-X", "-q", "-9", zipPath, ...files.map((f) => f.name)];
    await run("zip", args, { cwd: stage, env: { TZ: "UTC" } });
  } finally {
    await Deno.remove(stage, { recursive: true });
  }
}
