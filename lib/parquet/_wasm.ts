/**
 * Loads parquet-wasm once, from wasm bytes embedded by an import attribute: no file or network access, so it works
 * under `deno run` without read permission and inside a `deno bundle` output.
 *
 * @module
 */
import * as pq from "parquet-wasm/esm";
import wasmBytes from "parquet-wasm/esm/parquet_wasm_bg.wasm" with { type: "bytes" };

let initialised = false;

/** The parquet-wasm module, instantiated on first use (synchronously, from the embedded bytes). */
export function parquetWasm(): typeof pq {
  if (!initialised) {
    pq.initSync({ module: wasmBytes });
    initialised = true;
  }
  return pq;
}
