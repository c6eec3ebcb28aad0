// Formatting with prettier, pinned in package.json so the same input gives the same bytes.

import { format } from "prettier";

export async function formatModule(code: string): Promise<string> {
  return format(code, { parser: "typescript", printWidth: 100 });
}
