// The runtime that every module carries, read from templates/runtime.ts and templates/tools.ts
// (shipped in the package).
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

/** Cuts and names one template's region; `code` is not yet formatted. */
export function parseRuntimeTemplate(source: string, region = "runtime"): RuntimeTemplate {
  const start = source.indexOf(`// #region ${region}`);
  const end = source.indexOf(`// #endregion ${region}`);
  if (start < 0 || end < start) throw new Error(`a template lacks its #region ${region} markers`);
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

/** The templates, in the order they are emitted: the call runtime, agent tools, then live status and sessions. */
const TEMPLATES = [
  { region: "runtime", url: new URL("../templates/runtime.ts", import.meta.url) },
  { region: "tools", url: new URL("../templates/tools.ts", import.meta.url) },
  { region: "queue", url: new URL("../templates/queue.ts", import.meta.url) },
];
const cacheUrl = new URL("../dist/runtime.json", import.meta.url);

export function readTemplates(): string[] {
  return TEMPLATES.map((t) => readFileSync(t.url, "utf8"));
}

export function templateHash(sources: string[]): string {
  return createHash("sha256").update(sources.join("\0")).digest("hex");
}

/** Builds the runtime as emitted: every template's region, parsed, joined, then formatted. */
export async function buildRuntime(sources: string[]): Promise<RuntimeTemplate> {
  const parts = sources.map((source, i) => parseRuntimeTemplate(source, TEMPLATES[i]!.region));
  const code = parts.map((p) => p.code).join("\n\n");
  return {
    code: (await formatModule(code)).trimEnd(),
    valueNames: parts.flatMap((p) => p.valueNames),
    typeNames: parts.flatMap((p) => p.typeNames),
  };
}

let cached: Promise<RuntimeTemplate> | undefined;

export function loadRuntimeTemplate(): Promise<RuntimeTemplate> {
  cached ??= (async () => {
    const sources = readTemplates();
    const hash = templateHash(sources);
    try {
      const cache = JSON.parse(readFileSync(cacheUrl, "utf8")) as RuntimeTemplate & { hash: string };
      if (cache.hash === hash) return { code: cache.code, valueNames: cache.valueNames, typeNames: cache.typeNames };
    } catch {
      // no cache (running from source, or not built yet)
    }
    return buildRuntime(sources);
  })();
  return cached;
}
