// Hugging Face Hub: Space id → the host of its running app.

import { oneLine, UserError } from "./errors.js";
import { httpRequest } from "./http.js";

export function hubEndpoint(): string {
  return (process.env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, "");
}

/** The documented subdomain rule: "ns/my_repo.v2" → "ns-my-repo-v2.hf.space". Only a fallback. */
export function subdomainHost(id: string): string {
  return `https://${id.replace("/", "-").replace(/[_.]/g, "-").toLowerCase()}.hf.space`;
}

export interface ResolveOptions {
  token?: string;
  warn: (message: string) => void;
}

/** Asks the Hub for the Space's host; falls back to the subdomain rule (with a warning) when the Hub is unreachable. */
export async function resolveSpaceHost(id: string, options: ResolveOptions): Promise<string> {
  const url = `${hubEndpoint()}/api/spaces/${id}/host`;
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  let response;
  try {
    response = await httpRequest(url, { headers, attempts: 2, timeoutMs: 15_000 });
  } catch (error) {
    const host = subdomainHost(id);
    options.warn(`the Hub could not be reached (${oneLine(error, 120)}); guessing ${host} from the subdomain rule`);
    return host;
  }
  if (response.status === 401 && !options.token) throw new UserError(`${id}: the Hub answered 401; the Space may be private: set HF_TOKEN or pass --token`);
  if (response.status === 401 || response.status === 403) throw new UserError(`${id}: the Hub refused the token (HTTP ${response.status}); check that it can read this Space`);
  if (response.status === 404) throw new UserError(`${id}: no such Space, or it is private (set HF_TOKEN or pass --token if it is yours)`);
  if (response.status !== 200) throw new UserError(`${id}: the Hub answered HTTP ${response.status} for ${url}; try again later`);
  let host: unknown;
  try {
    host = (JSON.parse(response.text) as { host?: unknown }).host;
  } catch {
    host = undefined;
  }
  if (typeof host !== "string" || !/^https?:\/\/[^\s/]+$/i.test(host)) throw new UserError(`${id}: the Hub's answer has no usable "host"`);
  return host;
}
