// Load: a source (running app URL, Space id, snapshot file, raw /info file) → a Snapshot.

import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { containsSecret } from "../shared/secrets.js";
import { classifyInfo, describeKind, HOW_TO_GET_INFO } from "./document-kind.js";
import { oneLine, UserError } from "../shared/errors.js";
import { httpRequest, LimitError, type HttpResponse } from "./http.js";
import { SPACE_ID_PATTERN } from "./hub.js";
import { decodeText, isJsonObject, parseJson } from "../shared/json.js";
import { describeBytes, LIMITS } from "../shared/limits.js";
import { versionAtLeast } from "../shared/gradio-version.js";
import { checkApiPrefix, isSnapshot, SNAPSHOT_FORMAT, trimConfig, trimInfo, type Snapshot } from "./snapshot.js";

export interface LoadOptions {
  allEndpoints?: boolean;
  /** module name for URL sources (--name) */
  name?: string;
  /** the app's URL, for a raw /info document (which does not say where the app runs) */
  url?: string;
  /** extra request headers (auth cookie, token) */
  headers?: Record<string, string>;
  warn?: (message: string) => void;
}

type Obj = Record<string, unknown>;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** A module name from a URL: "https://abc-def.hf.space" → "abc-def", "http://127.0.0.1:7860/x" → "127-0-0-1-7860-x". */
export function nameFromUrl(url: string): string {
  const u = new URL(url);
  const host = u.hostname.endsWith(".hf.space") ? u.hostname.slice(0, -".hf.space".length) : u.hostname;
  const parts = [host, u.port, ...u.pathname.split("/")].filter(Boolean).join("-");
  return (
    parts
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .toLowerCase() || "app"
  );
}

/** Root URL of an app: no query, no fragment, no trailing slash, no trailing /config or /info route. */
export function appRoot(url: string): string {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  u.pathname = u.pathname.replace(/\/+$/, "").replace(/(\/gradio_api)?\/(info|config)$/, "");
  return u.toString().replace(/\/+$/, "");
}

function parseBody(response: HttpResponse, what: string): unknown {
  // A document is written into the snapshot and the module: one that echoes the user's token is refused.
  if (containsSecret(response.text))
    throw new UserError(`${what} contains the token spacegen sent with the request (the app echoes request headers); refusing to write it into files`);
  return parseJson(response.text, what);
}

function httpFailure(response: HttpResponse, what: string): UserError {
  if (response.status === 401 || response.status === 403)
    return new UserError(
      `${what} answered ${response.status}: the app requires login or a token (use --auth user:pass for a Gradio login, or --token / HF_TOKEN)`,
    );
  return new UserError(`${what} answered HTTP ${response.status}; is this the root URL of a running Gradio app?`);
}

async function get(url: string, options: LoadOptions, document: "/config" | "/info"): Promise<HttpResponse> {
  const maxBytes = document === "/config" ? LIMITS.configBytes : LIMITS.documentBytes;
  try {
    return await httpRequest(url, { maxBytes, what: `the app's ${document}`, ...(options.headers ? { headers: options.headers } : {}) });
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw new UserError(`cannot reach ${url}: ${oneLine(error, 200)}`);
  }
}

/** Reads /config then {prefix}/info from a running Gradio app. */
export async function loadFromApp(url: string, options: LoadOptions & { space?: string | null } = {}): Promise<Snapshot> {
  const root = appRoot(url);
  const notes: string[] = [];
  const configResponse = await get(`${root}/config`, options, "/config");
  let config: Obj | null = null;
  if (configResponse.status === 200) {
    const parsed = parseBody(configResponse, `${root}/config`);
    if (!isJsonObject(parsed)) throw new UserError(`${root}/config is not a JSON object; is this a Gradio app?`);
    config = parsed;
  } else if (configResponse.status === 401 || configResponse.status === 403) {
    throw httpFailure(configResponse, `${root}/config`);
  }
  const version = config && typeof config.version === "string" ? config.version : null;
  if (version && !versionAtLeast(version, "4.20"))
    throw new UserError(`${root} runs Gradio ${version}, which has no /call API (spacegen needs Gradio 4.20 or newer)`);

  // /config has no prefix in any version; /info sits under api_prefix (5.x+) or at the root (4.x).
  // The prefix is checked before it is used in any URL.
  const prefixes = config ? [checkApiPrefix(typeof config.api_prefix === "string" ? config.api_prefix : "", `${root}/config`)] : ["/gradio_api", ""];
  const query = options.allEndpoints ? "?all_endpoints=true" : "";
  let info: Obj | null = null;
  let prefix = "";
  for (const candidate of prefixes) {
    const response = await get(`${root}${candidate}/info${query}`, options, "/info");
    if (response.status === 200) {
      const parsed = parseBody(response, `${root}${candidate}/info`);
      if (isJsonObject(parsed) && isJsonObject(parsed.named_endpoints)) {
        info = parsed;
        prefix = candidate;
        break;
      }
    } else if (response.status === 401 || response.status === 403) {
      throw httpFailure(response, `${root}${candidate}/info`);
    }
  }
  if (!info) throw new UserError(`${root} has no Gradio API description at ${prefixes.map((p) => `${p}/info`).join(" or ")}; is this a Gradio 4.20+ app?`);
  if (!config) {
    notes.push("the app's /config could not be read, so hidden gr.State/Button slots and generator flags are unknown");
  }
  return {
    spacegen: SNAPSHOT_FORMAT,
    source: { space: options.space ?? null, url: root, name: options.name ?? nameFromUrl(root) },
    gradioVersion: version,
    config: config ? trimConfig(config) : null,
    apiPrefix: prefix,
    info: trimInfo(info),
    notes,
  };
}

function validateSnapshot(doc: Snapshot, path: string): Snapshot {
  const s = doc.source as unknown as Obj;
  const bad = (field: string) => new UserError(`${path}: snapshot field ${field} is missing or of the wrong type; regenerate it from the app`);
  if (doc.spacegen > SNAPSHOT_FORMAT) throw new UserError(`${path} was written by a newer spacegen (snapshot format ${doc.spacegen}); upgrade spacegen`);
  if (typeof s.url !== "string" || !isUrl(s.url)) throw bad("source.url");
  if (typeof s.name !== "string") throw bad("source.name");
  if (s.space !== null && (typeof s.space !== "string" || !SPACE_ID_PATTERN.test(s.space))) throw bad("source.space");
  if (doc.gradioVersion !== null && typeof doc.gradioVersion !== "string") throw bad("gradioVersion");
  if (doc.config !== null && !isJsonObject(doc.config)) throw bad("config");
  const notes = Array.isArray(doc.notes) ? doc.notes.filter((n): n is string => typeof n === "string") : [];
  // Re-trim: a hand-edited snapshot gets the same tolerant reading as a live /config, and the same prefix rule.
  const config = doc.config ? trimConfig(doc.config) : null;
  if (config) checkApiPrefix(config.api_prefix, `${path} (config)`);
  const apiPrefix = typeof doc.apiPrefix === "string" ? checkApiPrefix(doc.apiPrefix, `${path} (apiPrefix)`) : null;
  return {
    spacegen: SNAPSHOT_FORMAT,
    source: { space: s.space, url: s.url, name: s.name },
    gradioVersion: doc.gradioVersion,
    config,
    apiPrefix,
    info: doc.info,
    notes,
  };
}

/** The app a raw /info document is taken to run at when `--url` does not say (Gradio's local default). */
const DEFAULT_APP_URL = "http://127.0.0.1:7860";

/** Reads a snapshot or a raw /info document from disk. */
export async function loadFromFile(path: string, options: LoadOptions = {}): Promise<Snapshot> {
  let bytes: Uint8Array;
  try {
    const size = (await stat(path)).size;
    if (size > LIMITS.documentBytes)
      throw new LimitError(`${path} is larger than ${describeBytes(LIMITS.documentBytes)} (spacegen's limit for an API document); refusing it`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? oneLine(error)}`);
  }
  return readDocument(bytes, path, basename(path).replace(/\.schema\.json$|\.json$/i, ""), options).snapshot;
}

/**
 * A snapshot or a raw /info document from its bytes (a file's, or stdin's). `where` names it in messages,
 * `defaultName` is a raw /info's module name when no `name` is set; `wasSnapshot` says which of the two it was.
 */
export function readDocument(bytes: Uint8Array, where: string, defaultName: string, options: LoadOptions = {}): { snapshot: Snapshot; wasSnapshot: boolean } {
  // files are checked before they are read (loadFromFile); stdin here
  if (bytes.length > LIMITS.documentBytes)
    throw new LimitError(`${where} is larger than ${describeBytes(LIMITS.documentBytes)} (spacegen's limit for an API document); refusing it`);
  const doc = parseJson(decodeText(bytes), where);
  if (isSnapshot(doc)) return { snapshot: validateSnapshot(doc, where), wasSnapshot: true };
  const kind = classifyInfo(doc);
  if (!kind) throw new UserError(`${where} is not a Gradio API description (no "named_endpoints" object); ${HOW_TO_GET_INFO}`);
  if (kind.kind === "js-client-view-api" || kind.kind === "gradio-3")
    throw new UserError(`${where} is ${describeKind(kind.kind)} (${kind.reason}); ${HOW_TO_GET_INFO}`);
  const notes = ["generated from a raw /info without /config: hidden gr.State/Button slots and generator flags are unknown"];
  if (kind.kind === "view-api-dict") notes.push(`${basename(where)} looks like ${describeKind("view-api-dict")}; parameter names may be missing`);
  // A raw /info does not say where its app runs: the module would call the default in silence.
  if (!options.url)
    options.warn?.(
      `a raw /info does not say where its app runs, so the module calls ${DEFAULT_APP_URL}; pass --url <app-url> to set the URL it calls (or baseUrl at run time)`,
    );
  const name = options.name ?? defaultName.replace(/[^A-Za-z0-9_-]+/g, "-");
  const snapshot: Snapshot = {
    spacegen: SNAPSHOT_FORMAT,
    source: { space: null, url: options.url ? appRoot(options.url) : DEFAULT_APP_URL, name: name || "app" },
    gradioVersion: null,
    config: null,
    apiPrefix: null,
    info: trimInfo(doc as Obj),
    notes,
  };
  return { snapshot, wasSnapshot: false };
}
