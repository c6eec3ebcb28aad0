// The runtime that every module carries, read from templates/runtime.ts (shipped in the package).
//
// The code is cut from the template's #region, made module-private where marked internal, and
// formatted once with the module's prettier options. `npm run build` caches that result in
// dist/runtime.json (keyed by the template's hash), so the CLI does not format ~14 KB of runtime
// on every run; a stale or missing cache is simply recomputed.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { formatModule } from "./format.js";

export interface RuntimeTemplate {
  /** the code between the #region markers, internal exports made module-private, formatted */
  code: string;
  /** top-level value names it declares (functions, consts, classes) */
  valueNames: string[];
  /** top-level type names it declares (interfaces, type aliases, classes) */
  typeNames: string[];
}

const DECLARATION =
  /^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(function\*?|const|let|var|class|interface|type)\s+([A-Za-z_$][\w$]*)/gm;

/** Cuts and names the runtime; `code` is not yet formatted. */
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

const templateUrl = new URL("../templates/runtime.ts", import.meta.url);
const cacheUrl = new URL("../dist/runtime.json", import.meta.url);

export function templateHash(source: string): string {
  return createHash("sha256").update(source).digest("hex");
}

/** Builds the runtime as emitted: parsed, then formatted. */
export async function buildRuntime(source: string): Promise<RuntimeTemplate> {
  const parsed = parseRuntimeTemplate(source);
  return { ...parsed, code: (await formatModule(parsed.code)).trimEnd() };
}

let cached: Promise<RuntimeTemplate> | undefined;

export function loadRuntimeTemplate(): Promise<RuntimeTemplate> {
  cached ??= (async () => {
    const source = readFileSync(templateUrl, "utf8");
    const hash = templateHash(source);
    try {
      const cache = JSON.parse(readFileSync(cacheUrl, "utf8")) as RuntimeTemplate & { hash: string };
      if (cache.hash === hash) return { code: cache.code, valueNames: cache.valueNames, typeNames: cache.typeNames };
    } catch {
      // no cache (running from source, or not built yet)
    }
    return buildRuntime(source);
  })();
  return cached;
}
