// Live sources → a running app's root, with the right credentials for it:
//   ns/repo                                   ask the Hub for the host, wait until the Space runs
//   {hub}/spaces/ns/repo[/anything]           the same (hub = HF_ENDPOINT or https://huggingface.co)
//   {hub}/spaces/ns/repo/agents.md            read its "API schema: GET <url>" line (untrusted text) and use
//                                             that app root, once it agrees with the Hub's host for the Space
//   https://<sub>.hf.space[/path]             a Space host: the token goes there; the Hub is asked for its status
//   any other http(s) URL (also a sub-path mount such as http://host/sub): used as is; only a --token goes there
//
// Which token goes where, in which header: credentials.ts. Gradio login cookies go only to the app root.

import { appHeaders, hfSpaceSubdomain, hubHeaders, tokenScope, type TokenSource } from "./credentials.js";
import { keepSecret } from "../shared/secrets.js";
import { oneLine, UserError } from "../shared/errors.js";
import { cookieHeader, httpRequest, LimitError, type HttpResponse } from "./http.js";
import { checkSpaceBySubdomain, hubEndpoint, resolveSpace, SPACE_ID_PATTERN } from "./hub.js";
import type { TerminalStatus } from "../shared/status.js";
import { appRoot, loadFromApp, type LoadOptions } from "./load.js";
import type { Snapshot } from "./snapshot.js";

export type LiveSource = { kind: "space"; id: string } | { kind: "agents"; id: string; url: string } | { kind: "url"; url: string };

/** Origins that are the Hub: HF_ENDPOINT (or huggingface.co) and huggingface.co's own aliases. */
function hubBases(): URL[] {
  const bases = [hubEndpoint(), "https://huggingface.co", "https://www.huggingface.co", "https://hf.co"];
  return bases.map((b) => new URL(b.endsWith("/") ? b : b + "/"));
}

/** Classifies a Space id or an http(s) URL; a Hub URL that is not a Space page is refused. */
export function classifyLive(source: string): LiveSource {
  if (!/^https?:\/\//i.test(source)) {
    if (SPACE_ID_PATTERN.test(source)) return { kind: "space", id: source };
    throw new UserError(`${source}: not an http(s) URL or a Space id like "namespace/repo"`);
  }
  let u: URL;
  try {
    u = new URL(source);
  } catch {
    throw new UserError(`${source}: not a valid URL`);
  }
  for (const base of hubBases()) {
    if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname)) continue;
    const rest = u.pathname.slice(base.pathname.length);
    const match = /^spaces\/([^/]+)\/([^/]+)(\/.*)?$/.exec(rest);
    const id = match ? `${match[1]}/${match[2]}` : "";
    if (!match || !SPACE_ID_PATTERN.test(id))
      throw new UserError(`${source} is a Hugging Face page but not a Space's; pass the Space id (namespace/repo) or its /spaces/namespace/repo URL`);
    if (match[3] === "/agents.md") return { kind: "agents", id, url: `${base.origin}${base.pathname}spaces/${id}/agents.md` };
    return { kind: "space", id };
  }
  return { kind: "url", url: source };
}

/** The Space id a source names, if any (for output paths). */
export function spaceIdOf(source: string): string | null {
  try {
    const live = classifyLive(source);
    return live.kind === "url" ? null : live.id;
  } catch {
    return null;
  }
}

const MAX_AGENTS_MD = 16 * 1024;

/**
 * Reads the app root from an agents.md answer. The text is untrusted: exactly one "API schema: GET <url>"
 * line, an http(s) URL without credentials, query or fragment, whose path ends in /gradio_api/info or /info.
 */
export function parseAgentsMd(text: string, where: string): string {
  if (text.length > MAX_AGENTS_MD) throw new UserError(`${where} is longer than an agents.md answer can be (${text.length} characters); refusing it`);
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const schema = lines.filter((l) => /^API schema:/i.test(l));
  if (schema.length !== 1)
    throw new UserError(`${where} has ${schema.length === 0 ? "no" : "more than one"} "API schema: GET <url>" line; is this Space a Gradio app?`);
  const match = /^API schema: GET (https?:\/\/[\x21-\x7e]{1,2000})$/.exec(schema[0]!);
  let u: URL | null;
  try {
    u = match ? new URL(match[1]!) : null;
  } catch {
    u = null;
  }
  // Dot segments (also percent-encoded) would be resolved away by the URL parser; refuse rather than guess.
  if (match && /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(match[1]!.replace(/^https?:\/\/[^/]*/i, ""))) u = null;
  if (!u || u.username || u.password || u.search || u.hash || !/^(\/[\w.~%-]+)*\/info$/.test(u.pathname) || /\/\.\.?(\/|$)/.test(u.pathname))
    throw new UserError(`${where}: its "API schema" line is not a plain http(s) URL ending in /gradio_api/info or /info; refusing it`);
  return appRoot(u.toString());
}

/**
 * How to reach live sources, as the user set them (options or environment): the one object the command line
 * and the API build and hand down to here.
 */
export interface LiveSettings {
  token?: string | undefined;
  /** where the token came from: an ambient HF_TOKEN reaches fewer apps than an explicit --token (credentials.ts) */
  tokenFrom?: TokenSource | undefined;
  /** "user:password" for a Gradio app launched with auth= */
  auth?: string | undefined;
  /** where the credentials came from, for messages ("--auth" or "SPACEGEN_AUTH") */
  authFrom?: string | undefined;
  /** seconds to wait for a building, starting or waking Space (default 300) */
  waitSeconds?: number | undefined;
}

export interface LiveOptions extends LoadOptions {
  live: LiveSettings;
  /** where a wait for a Space is shown */
  progress: TerminalStatus | undefined;
  warn: (message: string) => void;
}

async function fetchAgentsMd(url: string, id: string, token: string | undefined): Promise<string> {
  let response: HttpResponse;
  try {
    response = await httpRequest(url, { headers: { ...hubHeaders(token), accept: "text/markdown, text/plain" } });
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw new UserError(`cannot reach ${url}: ${oneLine(error, 200)}`);
  }
  if (response.status === 401 && !token)
    throw new UserError(`${id}: ${url} answered 401: the Space is private or does not exist; set HF_TOKEN (or pass --token)`);
  if (response.status === 404) throw new UserError(`${id}: no such Space, or it is private, or it has no agents.md (HTTP 404 from ${url})`);
  if (response.status !== 200) throw new UserError(`${id}: ${url} answered HTTP ${response.status}`);
  return response.text;
}

/** Splits "user:password" (the password may contain colons). */
export function parseAuth(value: string, from: string): { username: string; password: string } {
  const at = value.indexOf(":");
  if (at <= 0) throw new UserError(`${from} expects user:password`);
  return { username: value.slice(0, at), password: value.slice(at + 1) };
}

/** POST {root}/login (no API prefix in any version) → the session cookies, or null when the app has no login. */
async function gradioLogin(
  root: string,
  credentials: { username: string; password: string },
  headers: Record<string, string>,
  from: string,
  warn: (message: string) => void,
): Promise<string | null> {
  const url = `${root}/login`;
  let response: HttpResponse;
  try {
    response = await httpRequest(url, {
      method: "POST",
      attempts: 2,
      headers: { ...headers, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(credentials).toString(),
    });
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw new UserError(`cannot reach ${url}: ${oneLine(error, 200)}`);
  }
  if (response.status === 200) {
    const cookie = cookieHeader(response);
    if (!cookie) throw new UserError(`${url} accepted the login but set no session cookie; is this a Gradio app?`);
    return cookie;
  }
  if (response.status === 400 || response.status === 401 || response.status === 403)
    throw new UserError(`${url} refused the login from ${from} (HTTP ${response.status}): wrong user name or password`);
  if ((response.status >= 300 && response.status < 400) || response.status === 404 || response.status === 405) {
    warn(`${root} has no Gradio login (POST /login answered ${response.status}); ignoring ${from}`);
    return null;
  }
  throw new UserError(`${url} answered HTTP ${response.status} to the login; try again later`);
}

/** Resolves a live source (Space id, Hub page, agents.md, app URL), logs in if asked, and reads the app. */
export async function loadLive(source: string, options: LiveOptions): Promise<Snapshot> {
  const { live: settings, progress, ...load } = options;
  const { token, tokenFrom, auth, authFrom, waitSeconds } = settings;
  keepSecret(token);
  const resolveOptions = { warn: options.warn, token: token || undefined, waitSeconds, progress };
  const live = classifyLive(source);
  let root: string;
  let space: string | null = null;
  if (live.kind === "space") {
    const resolved = await resolveSpace(live.id, resolveOptions);
    root = resolved.host;
    space = live.id;
  } else if (live.kind === "agents") {
    const text = await fetchAgentsMd(live.url, live.id, token);
    const fromAgents = parseAgentsMd(text, live.url);
    const resolved = await resolveSpace(live.id, resolveOptions);
    if (new URL(fromAgents).origin !== resolved.host)
      throw new UserError(`${live.url} points at ${new URL(fromAgents).origin}, which is not the Space's host ${resolved.host}; refusing it`);
    root = fromAgents;
    space = live.id;
  } else {
    root = appRoot(live.url);
    const subdomain = hfSpaceSubdomain(root);
    if (subdomain) await checkSpaceBySubdomain(subdomain, new URL(root).origin, resolveOptions);
  }
  const headers: Record<string, string> = {};
  if (token) {
    const scope = tokenScope(root, tokenFrom ?? "HF_TOKEN", space !== null);
    if (scope.send) Object.assign(headers, appHeaders(token));
    else if (scope.withheld) options.warn(scope.withheld);
  }
  if (auth) {
    const from = authFrom ?? "--auth";
    keepSecret(parseAuth(auth, from).password);
    const cookie = await gradioLogin(root, parseAuth(auth, from), headers, from, options.warn);
    if (cookie) headers.cookie = cookie;
  }
  return loadFromApp(root, { ...load, space, ...(Object.keys(headers).length > 0 ? { headers } : {}) });
}
