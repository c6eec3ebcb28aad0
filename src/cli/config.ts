// spacegen.config.json: the Spaces a project vendors, each with its output and options, plus defaults.
// Validated by hand (one clear line per mistake); schema/spacegen.config.schema.json describes the
// same shape for editors. Paths in the file are relative to the file's folder.

import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UserError } from "../shared/errors.js";
import { decodeText, isJsonObject, parseJson } from "../shared/json.js";
import { fileError } from "../output/write.js";

export const CONFIG_FILE = "spacegen.config.json";

/** One module to generate. */
interface SpaceEntry {
  /** Space id, app URL, or snapshot/info file (resolved against the config's folder) */
  source: string;
  /** output: a folder, or an exact module file (`.ts` `.mts` `.cts`, or `.js` `.mjs` `.cjs`); must stay inside the config's folder */
  out?: string;
  /** module name for URL and file sources (`<out>/<name>.ts`) */
  name?: string;
  /** the URL the module calls (default: where the API was read) */
  url?: string;
  allEndpoints?: boolean;
  /** write `.js` + `.d.ts` instead of `.ts` */
  js?: boolean;
}

export interface SpacegenConfig {
  /** absolute path of the file */
  path: string;
  out: string;
  concurrency: number;
  js: boolean;
  allEndpoints: boolean;
  spaces: SpaceEntry[];
}

type Obj = Record<string, unknown>;

const TOP_KEYS = new Set(["$schema", "out", "concurrency", "js", "allEndpoints", "spaces"]);
const ENTRY_KEYS = new Set(["source", "out", "name", "url", "allEndpoints", "js"]);
const NAME = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

export const MAX_CONCURRENCY = 64;

/** Validates a parsed config document; every message names the file and the JSON path. */
export function validateConfig(doc: unknown, path: string): SpacegenConfig {
  const fail = (where: string, what: string): never => {
    throw new UserError(`${path}: ${where} ${what}`);
  };
  if (!isJsonObject(doc)) return fail("the document", 'must be a JSON object with a "spaces" array');
  for (const key of Object.keys(doc)) if (!TOP_KEYS.has(key)) fail(`"${key}"`, `is not a known setting (expected one of ${[...TOP_KEYS].join(", ")})`);
  const str = (v: unknown, where: string) =>
    v === undefined || (typeof v === "string" && v !== "")
      ? // No path, name or URL can hold a NUL byte; refused here, by the setting's name, rather than by the file system.
        typeof v === "string" && v.includes("\0")
        ? fail(where, "contains a NUL byte")
        : v
      : fail(where, "must be a non-empty string");
  const bool = (v: unknown, where: string) => (v === undefined || typeof v === "boolean" ? v : fail(where, "must be true or false"));
  const out = str(doc.out, '"out"') ?? "generated";
  const concurrency = doc.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || (concurrency as number) < 1 || (concurrency as number) > MAX_CONCURRENCY)
    fail('"concurrency"', `must be an integer from 1 to ${MAX_CONCURRENCY}`);
  if (!Array.isArray(doc.spaces)) return fail('"spaces"', "must be an array of Space entries");
  const base = dirname(path);
  const spaces = doc.spaces.map((raw, i): SpaceEntry => {
    const at = `spaces[${i}]`;
    const entry: Obj = typeof raw === "string" ? { source: raw } : isJsonObject(raw) ? raw : fail(at, 'must be a source string or an object with "source"');
    for (const key of Object.keys(entry))
      if (!ENTRY_KEYS.has(key)) fail(`${at}."${key}"`, `is not a known option (expected one of ${[...ENTRY_KEYS].join(", ")})`);
    const source = str(entry.source, `${at}.source`) ?? fail(`${at}.source`, "is required");
    if (source === "-") fail(`${at}.source`, '"-" (stdin) is for the command line; name a file, a Space or a URL');
    const name = str(entry.name, `${at}.name`);
    if (name !== undefined && !NAME.test(name))
      fail(`${at}.name`, `${JSON.stringify(name)} is not a valid module name (letters, digits, _ . -, one optional "/")`);
    const url = str(entry.url, `${at}.url`);
    if (url !== undefined && !/^https?:\/\//i.test(url)) fail(`${at}.url`, "must be an http(s) URL");
    const entryOut = str(entry.out, `${at}.out`);
    const result: SpaceEntry = { source: /^https?:\/\//i.test(source) || !looksLikePath(source) ? source : resolve(base, source) };
    if (entryOut !== undefined) result.out = resolve(base, entryOut);
    if (name !== undefined) result.name = name;
    if (url !== undefined) result.url = url;
    const all = bool(entry.allEndpoints, `${at}.allEndpoints`);
    if (all !== undefined) result.allEndpoints = all;
    const js = bool(entry.js, `${at}.js`);
    if (js !== undefined) result.js = js;
    return result;
  });
  if (spaces.length === 0) fail('"spaces"', "is empty; list at least one Space");
  return {
    path,
    out: resolve(base, out),
    concurrency: concurrency as number,
    js: bool(doc.js, '"js"') ?? false,
    allEndpoints: bool(doc.allEndpoints, '"allEndpoints"') ?? false,
    spaces,
  };
}

/** A file source (as opposed to a Space id "ns/repo"): ends in .json or starts with ./ ../ or /. */
function looksLikePath(source: string): boolean {
  return /\.json$/i.test(source) || /^(\.{1,2}[\\/]|[\\/])/.test(source);
}

export async function loadConfig(path: string): Promise<SpacegenConfig> {
  const absolute = resolve(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`${path} not found: pass a source (Space id, app URL or snapshot file), or create ${CONFIG_FILE}`);
    throw fileError("read", path, error);
  }
  return validateConfig(parseJson(decodeText(bytes), path), path);
}
