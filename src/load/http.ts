// HTTP for the generator itself (not for generated modules): undici with proxies from the environment
// (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, lower-case variants first), connect and body timeouts, bounded
// retries with backoff on network errors, 429 and 5xx (honouring Retry-After), a spacegen/<version> user agent.
//
// Redirects are not followed (undici's request() does not), so a header such as Authorization or Cookie
// can never be carried to a host it was not meant for.
//
// Every answer is capped in size (LIMITS in limits.ts, per kind of answer) and every request in total time
// (SPACEGEN_HTTP_DEADLINE_MS, default LIMITS.requestMs), so a trickled or endless body ends with one line.
//
// Tunables (mostly for tests): SPACEGEN_HTTP_TIMEOUT_MS (headers and body idle time, default 30000),
// SPACEGEN_CONNECT_TIMEOUT_MS (default 10000), SPACEGEN_RETRY_BASE_MS (first backoff, default 500),
// SPACEGEN_RETRY_MAX_MS (longest single wait, default 30000; a longer Retry-After is not waited for).

// undici is imported on the first request, not at start-up: loading it costs ~100 ms that a run from a
// snapshot (no network) should not pay.
import type { Dispatcher } from "undici";
import { UserError } from "../shared/errors.js";
import { describeBytes, LIMITS, requestDeadlineMs } from "../shared/limits.js";
import { VERSION } from "../shared/version.js";

export interface HttpOptions {
  headers?: Record<string, string>;
  /** total attempts for network errors, 429 and 5xx (default 3 for GET, 1 for POST) */
  attempts?: number;
  timeoutMs?: number;
  /** the largest answer accepted (default LIMITS.answerBytes), and what it is, for the message */
  maxBytes?: number;
  what?: string;
}

/** A bound of limits.ts was reached: not retried, reported as is. */
export class LimitError extends UserError {
  override name = "LimitError";
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  url: string;
}

export const USER_AGENT = `spacegen/${VERSION}`;

function envMs(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

let agent: Dispatcher | undefined;
let undici: Promise<typeof import("undici")> | undefined;
async function dispatcher(): Promise<Dispatcher> {
  const { EnvHttpProxyAgent } = await (undici ??= import("undici"));
  agent ??= new EnvHttpProxyAgent({
    connectTimeout: envMs("SPACEGEN_CONNECT_TIMEOUT_MS", 10_000),
    headersTimeout: envMs("SPACEGEN_HTTP_TIMEOUT_MS", 30_000),
    bodyTimeout: envMs("SPACEGEN_HTTP_TIMEOUT_MS", 30_000),
  });
  return agent;
}

/** Closes pooled connections so the process can exit promptly. */
export async function closeHttp(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/** Network-level failure messages, without undici's internals. */
function describeNetworkError(error: unknown): Error {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "host name lookup failed",
    ECONNRESET: "connection reset",
    UND_ERR_CONNECT_TIMEOUT: "connect timed out",
    UND_ERR_HEADERS_TIMEOUT: "no answer in time",
    UND_ERR_BODY_TIMEOUT: "the answer stalled",
    UND_ERR_SOCKET: "connection closed",
  };
  if (code && known[code]) return new Error(known[code]);
  return error instanceof Error ? error : new Error(String(error));
}

/** GET (or POST with a body) with retries on network errors, 429 and 5xx; never throws on HTTP status. */
export async function httpRequest(url: string, options: HttpOptions & { method?: "GET" | "POST"; body?: string } = {}): Promise<HttpResponse> {
  const method = options.method ?? "GET";
  const attempts = Math.max(1, options.attempts ?? (method === "GET" ? 3 : 1));
  const base = envMs("SPACEGEN_RETRY_BASE_MS", 500);
  const maxWait = envMs("SPACEGEN_RETRY_MAX_MS", 30_000);
  const timeout = options.timeoutMs ?? envMs("SPACEGEN_HTTP_TIMEOUT_MS", 30_000);
  const deadline = requestDeadlineMs();
  const maxBytes = options.maxBytes ?? LIMITS.answerBytes;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const backoff = base * 2 ** (attempt - 1);
    const signal = AbortSignal.timeout(deadline);
    try {
      const { request } = await (undici ??= import("undici"));
      const response = await request(url, {
        method,
        headers: { "user-agent": USER_AGENT, ...options.headers },
        body: options.body ?? null,
        dispatcher: await dispatcher(),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal,
      });
      const text = await readCapped(response, maxBytes, `${url}${options.what ? ` (${options.what})` : ""}`);
      const retryable = response.statusCode === 429 || response.statusCode >= 500;
      if (retryable && attempt < attempts) {
        const asked = retryAfterMs(response.headers["retry-after"]);
        // A server asking for more patience than we have: give its answer back rather than hang.
        if (asked === null || asked <= maxWait) {
          await sleep(asked ?? Math.min(backoff, maxWait));
          continue;
        }
      }
      return { status: response.statusCode, headers: response.headers, text, url };
    } catch (error) {
      if (error instanceof LimitError) throw error;
      if (signal.aborted) throw new LimitError(`${url} did not finish answering within ${deadline / 1000} s (spacegen's limit for one request)`);
      lastError = describeNetworkError(error);
      if (attempt < attempts) await sleep(Math.min(backoff, maxWait));
    }
  }
  throw lastError;
}

/** The body as text, refusing it as soon as it passes `max` bytes (announced or received). */
async function readCapped(response: Dispatcher.ResponseData, max: number, what: string): Promise<string> {
  const tooBig = () => new LimitError(`${what} is larger than ${describeBytes(max)} (spacegen's limit for this answer); refusing it`);
  const announced = Number(response.headers["content-length"]);
  if (Number.isFinite(announced) && announced > max) {
    response.body.destroy();
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      response.body.destroy();
      throw tooBig();
    }
    chunks.push(chunk);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The cookies a response sets, as a Cookie request header ("a=1; b=2"), or null. */
export function cookieHeader(response: HttpResponse): string | null {
  const raw = response.headers["set-cookie"];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const pairs = list.map((line) => line.split(";")[0]!.trim()).filter((pair) => /^[^=\s;,]+=[^;\s,]*$/.test(pair));
  return pairs.length > 0 ? pairs.join("; ") : null;
}
