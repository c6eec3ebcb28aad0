// The runtime that every module carries, read from templates/runtime.ts (shipped in the package).

import { readFileSync } from "node:fs";

export interface RuntimeTemplate {
  /** the code between the #region markers, with internal exports made module-private */
  code: string;
  /** top-level value names it declares (functions, consts, classes) */
  valueNames: string[];
  /** top-level type names it declares (interfaces, type aliases, classes) */
  typeNames: string[];
}

const DECLARATION =
  /^(?:export\s+)?(?:\/\* internal \*\/\s+)?(?:declare\s+)?(?:async\s+)?(function\*?|const|let|var|class|interface|type)\s+([A-Za-z_$][\w$]*)/gm;

export function parseRuntimeTemplate(source: string): RuntimeTemplate {
  const start = source.indexOf("// #region runtime");
  const end = source.indexOf("// #endregion runtime");
  if (start < 0 || end < start) throw new Error("templates/runtime.ts lacks its #region runtime markers");
  const code = source
    .slice(source.indexOf("\n", start) + 1, end)
    .replace(/^export \/\* internal \*\/ /gm, "")
    .trim();
  const valueNames: string[] = [];
  const typeNames: string[] = [];
  for (const [, kind, name] of code.matchAll(DECLARATION)) {
    if (kind === "interface" || kind === "type") typeNames.push(name!);
    else if (kind === "class") {
      valueNames.push(name!);
      typeNames.push(name!);
    } else valueNames.push(name!);
  }
  return { code, valueNames, typeNames };
}

let cached: RuntimeTemplate | undefined;

export function loadRuntimeTemplate(): RuntimeTemplate {
  cached ??= parseRuntimeTemplate(readFileSync(new URL("../templates/runtime.ts", import.meta.url), "utf8"));
  return cached;
}
