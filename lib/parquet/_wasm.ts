/**
 * Loads parquet-wasm once, from wasm bytes embedded by an import attribute: no file or network access, so it works
 * under `deno run` without read permission and inside a `deno bundle` output.
 *
 * Compiling the module takes 50 to 200 ms of a stage's time; a stage calls {@link prepareParquetWasm} as it starts
 * so that the compilation runs off the main thread while the stage waits for S3 and PostgreSQL.
 *
 * @module
 */
import * as pq from "parquet-wasm/esm";
import wasmBytes from "parquet-wasm/esm/parquet_wasm_bg.wasm" with { type: "bytes" };

let initialised = false;
let compiling: Promise<void> | undefined;

/** The parquet-wasm module, instantiated on first use (synchronously, from the embedded bytes). */
export function parquetWasm(): typeof pq {
  if (!initialised) {
    pq.initSync({ module: wasmBytes });
    initialised = true;
  }
  return pq;
}

/**
 * Compiles and instantiates parquet-wasm in the background (once); {@link parquetWasm} then finds it ready. Never
 * rejects: on failure {@link parquetWasm} compiles synchronously and reports the error itself.
 */
export function prepareParquetWasm(): Promise<void> {
  compiling ??= WebAssembly.compile(wasmBytes).then((module) => {
    if (!initialised) {
      pq.initSync({ module });
      initialised = true;
    }
  }, () => {});
  return compiling;
}
