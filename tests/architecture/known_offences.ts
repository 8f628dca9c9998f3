/**
 * What `shape_test.ts` still finds, to be fixed (issue 13): remove a line when its offence is gone. The test
 * fails on any offence not listed here, and on any listed one that no longer occurs.
 *
 * @module
 */
export const KNOWN_OFFENCES: Record<"io" | "fileLength" | "functionLength", string[]> = {
  io: [],
  fileLength: [],
  functionLength: [],
};
