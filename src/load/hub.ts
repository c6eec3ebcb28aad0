// Hugging Face Hub: Space id → the host of its running app, and the Space's status (runtime.stage):
// wait while it builds or starts, wake it when it sleeps, stop with one actionable line otherwise.
//
// The Hub is HF_ENDPOINT when set (as huggingface_hub does), else https://huggingface.co.
// The poll interval is SPACEGEN_POLL_MS (default 5000); how long to wait is --wait (default 300 s).

import { appHeaders, hubHeaders, tokenScope } from "./credentials.js";
import { redact } from "../shared/secrets.js";
import { oneLine, UserError } from "../shared/errors.js";
import { httpRequest, LimitError, sleep, type HttpResponse } from "./http.js";
import type { TerminalStatus } from "../shared/status.js";

/** namespace/repo; neither part may be a dot segment ("acme/..") that a URL would resolve to another route. */
export const SPACE_ID_PATTERN = /^[A-Za-z0-9][\w.-]*\/(?!\.\.?$)[\w.-]+$/;

export function hubEndpoint(): string {
  return (process.env.HF_ENDPOINT?.trim() || "https://huggingface.co").replace(/\/+$/, "");
}

/** The documented subdomain rule: "ns/my_repo.v2" → "https://ns-my-repo-v2.hf.space". Only a fallback. */
export function subdomainHost(id: string): string {
  return `https://${id.replace("/", "-").replace(/[_.]/g, "-").toLowerCase()}.hf.space`;
}

export { hfSpaceSubdomain } from "./credentials.js";

export interface ResolveOptions {
  token: string | undefined;
  warn: (message: string) => void;
  /** seconds to wait for a building, starting or waking Space (default 300) */
  waitSeconds: number | undefined;
  /** where a wait is shown */
  progress: TerminalStatus | undefined;
}

export interface ResolvedSpace {
  id: string;
  /** origin of the running app, e.g. https://ns-repo.hf.space */
  host: string;
  /** true when the Hub could not be reached and the host is the subdomain rule's guess */
  guessed: boolean;
}

/** The one line for a Hub answer that is not 200. */
function hubRefusal(id: string, response: HttpResponse, token: string | undefined): UserError {
  switch (response.status) {
    case 401:
      return token
        ? new UserError(`${id}: the Hub rejected the token (HTTP 401); check HF_TOKEN or --token`)
        : new UserError(`${id}: the Hub answered 401: the Space is private or does not exist; set HF_TOKEN (or pass --token) to a token that can read it`);
    case 403:
      return new UserError(`${id}: the token may not read this Space (HTTP 403); use a token with read access to it`);
    case 404:
      return new UserError(
        token
          ? `${id}: no such Space, or it is private and this token cannot read it (HTTP 404)`
          : `${id}: no such Space, or it is private (HTTP 404); if it is private, set HF_TOKEN or pass --token`,
      );
    case 429:
      return new UserError(`${id}: the Hub is rate-limiting requests (HTTP 429); try again later${token ? "" : ", or set HF_TOKEN"}`);
    default:
      return new UserError(`${id}: the Hub answered HTTP ${response.status}; try again later`);
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A host from the Hub: an http(s) origin, nothing else (no credentials, path, query). */
function validHost(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 300) return null;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  if ((u.protocol !== "https:" && u.protocol !== "http:") || u.username || u.password || u.search || u.hash) return null;
  if (u.pathname !== "/" && u.pathname !== "") return null;
  return u.origin;
}

/** Asks the Hub where the Space runs, then waits until it runs. */
export async function resolveSpace(id: string, options: ResolveOptions): Promise<ResolvedSpace> {
  if (!SPACE_ID_PATTERN.test(id)) throw new UserError(`${JSON.stringify(id)} is not a Space id like "namespace/repo"`);
  const hub = hubEndpoint();
  const url = `${hub}/api/spaces/${id}/host`;
  let response: HttpResponse;
  try {
    response = await httpRequest(url, { headers: hubHeaders(options.token), attempts: 3, timeoutMs: 15_000 });
  } catch (error) {
    if (error instanceof LimitError) throw error;
    const host = subdomainHost(id);
    options.warn(
      `cannot reach the Hub at ${hub} (${oneLine(error, 120)}), so the Space's status is unknown; guessing its host ${host} from the subdomain rule`,
    );
    return { id, host, guessed: true };
  }
  if (response.status !== 200) throw hubRefusal(id, response, options.token);
  const host = validHost(parseObject(response.text)?.host);
  if (!host) throw new UserError(`${id}: the Hub's answer from ${url} has no usable "host"; try again later`);
  await waitUntilRunning({ id, statusUrl: `${hub}/api/spaces/${id}`, host }, options);
  return { id, host, guessed: false };
}

/**
 * For a *.hf.space URL: asks the Hub which Space this is and waits until it runs. Best effort: when the Hub
 * cannot say (unreachable, unknown subdomain, private), the app itself is asked and will answer for itself.
 */
export async function checkSpaceBySubdomain(subdomain: string, host: string, options: ResolveOptions): Promise<string | null> {
  const statusUrl = `${hubEndpoint()}/api/spaces/by-subdomain/${subdomain}`;
  let response: HttpResponse;
  try {
    response = await httpRequest(statusUrl, { headers: hubHeaders(options.token), attempts: 1, timeoutMs: 15_000 });
  } catch {
    return null;
  }
  if (response.status !== 200) return null;
  const info = parseObject(response.text);
  const id = typeof info?.id === "string" && SPACE_ID_PATTERN.test(info.id) ? info.id : null;
  await waitUntilRunning({ id: id ?? host, statusUrl, host }, options, info);
  return id;
}

type StageAction = "ready" | "wait" | "wake" | "fatal";

const STAGES: Record<string, StageAction> = {
  RUNNING: "ready",
  RUNNING_BUILDING: "ready", // the old version runs while a new one builds
  RUNNING_APP_STARTING: "ready",
  BUILDING: "wait",
  APP_STARTING: "wait",
  SLEEPING: "wake",
  STOPPED: "wake",
  PAUSED: "fatal",
  BUILD_ERROR: "fatal",
  RUNTIME_ERROR: "fatal",
  CONFIG_ERROR: "fatal",
  NO_APP_FILE: "fatal",
  DELETING: "fatal",
};

function fatalStage(id: string, stage: string): UserError {
  const page = `${hubEndpoint().replace(/^https?:\/\//, "")}/spaces/${id}`;
  const next: Record<string, string> = {
    PAUSED: `it was paused by its owner; restart it on ${page}/settings (or ask its owner to)`,
    BUILD_ERROR: `its build failed; read the build logs on ${page} and fix the Space, or ask its owner to`,
    RUNTIME_ERROR: `the app crashed; read the container logs on ${page}, then restart it on ${page}/settings`,
    CONFIG_ERROR: `its configuration (the README.md metadata) is invalid; fix it on ${page}`,
    NO_APP_FILE: `it has no app file to run; add one on ${page}`,
    DELETING: "it is being deleted",
  };
  return new UserError(`${id}: the Space is ${stage}: ${next[stage] ?? "it cannot run"}`);
}

function nonGradio(id: string, sdk: unknown): UserError | null {
  if (sdk === "static" || sdk === "streamlit") return new UserError(`${id}: this is a ${sdk} Space, not a Gradio app; spacegen needs a Gradio Space`);
  return null;
}

/** Polls the Space's status until it runs (or a fatal stage, or --wait runs out). */
async function waitUntilRunning(
  target: { id: string; statusUrl: string; host: string },
  options: ResolveOptions,
  first?: Record<string, unknown> | null,
): Promise<void> {
  const { id, statusUrl, host } = target;
  const waitSeconds = options.waitSeconds ?? 300;
  const pollMs = Math.max(10, Number(process.env.SPACEGEN_POLL_MS) || 5_000);
  const start = Date.now();
  let woken = false;
  let info = first ?? null;
  try {
    for (;;) {
      if (!info) {
        let response: HttpResponse;
        try {
          response = await httpRequest(statusUrl, { headers: hubHeaders(options.token), attempts: 2, timeoutMs: 15_000 });
        } catch (error) {
          if (error instanceof LimitError) throw error;
          options.warn(`cannot read the Space's status from the Hub (${oneLine(error, 120)}); trying the app anyway`);
          return;
        }
        if (response.status !== 200) throw hubRefusal(id, response, options.token);
        info = parseObject(response.text);
      }
      const refusal = nonGradio(id, info?.sdk);
      if (refusal) throw refusal;
      const runtime = info?.runtime;
      const stage = runtime && typeof runtime === "object" ? (runtime as { stage?: unknown }).stage : undefined;
      if (typeof stage !== "string") return; // no status to go by: let the app answer for itself
      const action = STAGES[stage];
      if (action === undefined) {
        options.warn(`the Hub reports an unfamiliar stage ${JSON.stringify(redact(stage).slice(0, 40))}; trying the app anyway`);
        return;
      }
      if (action === "ready") return;
      if (action === "fatal") throw fatalStage(id, stage);
      if (action === "wake" && !woken) {
        woken = true;
        await wake(host, options.token);
      }
      const elapsed = Math.round((Date.now() - start) / 1000);
      if (Date.now() + pollMs > start + waitSeconds * 1000) {
        throw new UserError(
          waitSeconds === 0
            ? `${id}: the Space is ${stage}; pass --wait <seconds> to wait for it to start`
            : `${id}: the Space is still ${stage} after ${elapsed}s; try again later, or wait longer with --wait <seconds>`,
        );
      }
      const doing = action === "wake" ? "waking it up" : "waiting for it to start";
      options.progress?.update(stage, `${id} is ${stage}, ${doing} (${elapsed}s of at most ${waitSeconds}s)`);
      await sleep(pollMs);
      info = null;
    }
  } finally {
    options.progress?.done();
  }
}

/** A sleeping Space wakes on the first request to its host. The answer does not matter. */
async function wake(host: string, token: string | undefined): Promise<void> {
  const headers = tokenScope(host, "--token", true).send ? appHeaders(token) : {};
  try {
    await httpRequest(`${host}/config`, { headers, attempts: 1, timeoutMs: 10_000 });
  } catch {
    /* it may not answer until it is up; polling the Hub tells */
  }
}
