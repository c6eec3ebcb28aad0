// HTTP for the generator itself (not for generated modules): undici with proxies from the environment
// (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), connect and body timeouts, bounded retries.

import { EnvHttpProxyAgent, request, type Dispatcher } from "undici";
import { VERSION } from "./version.js";

export interface HttpOptions {
  headers?: Record<string, string>;
  /** total attempts for network errors, 429 and 5xx */
  attempts?: number;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  url: string;
}

let agent: Dispatcher | undefined;
function dispatcher(): Dispatcher {
  agent ??= new EnvHttpProxyAgent({ connectTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  return agent;
}

/** Closes pooled connections so the process can exit promptly. */
export async function closeHttp(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

/** GET (or POST with a body) with retries on network errors, 429 and 5xx; never throws on HTTP status. */
export async function httpRequest(
  url: string,
  options: HttpOptions & { method?: "GET" | "POST"; body?: string } = {},
): Promise<HttpResponse> {
  const attempts = options.attempts ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await request(url, {
        method: options.method ?? "GET",
        headers: { "user-agent": `spacegen/${VERSION}`, ...options.headers },
        body: options.body ?? null,
        dispatcher: dispatcher(),
        headersTimeout: options.timeoutMs ?? 30_000,
        bodyTimeout: options.timeoutMs ?? 30_000,
      });
      const text = await response.body.text();
      const retryable = response.statusCode === 429 || response.statusCode >= 500;
      if (retryable && attempt < attempts) {
        const wait = retryAfterMs(response.headers["retry-after"]);
        await sleep(Math.min(wait ?? 500 * 2 ** (attempt - 1), 10_000));
        continue;
      }
      return { status: response.statusCode, headers: response.headers, text, url };
    } catch (error) {
      lastError = error;
      if (attempt < attempts) await sleep(300 * 2 ** (attempt - 1));
    }
  }
  throw lastError;
}
