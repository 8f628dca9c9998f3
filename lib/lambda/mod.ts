/**
 * Lambda packaging and runtime: the custom-runtime loop ({@link runLambda}, {@link startLambda}), the generated
 * bundle entry ({@link entrySource}) and the reproducible ZIP writer ({@link zipBytes}).
 *
 * @module
 */
export * from "./runtime.ts";
export * from "./entry.ts";
export * from "./zip.ts";
