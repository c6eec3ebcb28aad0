// Formatting with prettier, pinned in package.json so the same input gives the same bytes.

import { format } from "prettier";

export async function formatModule(code: string): Promise<string> {
  return format(code, { parser: "typescript", printWidth: 100 });
}

/**
 * The generated API part (no JSX, no generic arrow functions, so the same bytes as formatModule). The file
 * path tells prettier the text is TypeScript, not TSX: without it prettier first probes the whole text with
 * a JSX regular expression that takes seconds on the long lines of a big schema's types.
 */
export async function formatApi(code: string): Promise<string> {
  return format(code, { parser: "typescript", printWidth: 100, filepath: "module.ts" });
}
