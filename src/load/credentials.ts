// The token at generation time: where it may go, in which header, and how it is kept out of messages.
//
// The Hugging Face Spaces proxy in front of every *.hf.space app reads X-HF-Authorization, authorises the
// request for a private Space, and strips the header before the request reaches the Space's container. It
// does not strip Authorization, so `Authorization: Bearer <token>` would hand the user's token to the
// Space's own code (gradio-app/gradio#11700, huggingface/hf-mcp-server#249). So:
//   the Hub API (HF_ENDPOINT, huggingface.co)   Authorization: Bearer <token>
//   an app (/config, /info, /login, wake-ups)  X-HF-Authorization: Bearer <token>
//
// Which apps get it (tokenScope): a Space named by id (its host is the one the Hub reports) and any
// https://<sub>.hf.space URL get the token from --token or HF_TOKEN; any other URL (a local server, a custom
// domain) only a token the user passed with --token. Never over plain http except to a loopback address.

export type TokenSource = "--token" | "HF_TOKEN";

/** Headers for a request to the Hub API. */
export const hubHeaders = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** Headers for a request to an app (what the Spaces proxy consumes and strips). */
export const appHeaders = (token: string | undefined): Record<string, string> => (token ? { "x-hf-authorization": `Bearer ${token}` } : {});

/** localhost, *.localhost, 127.0.0.0/8 and [::1]: plain http never leaves the machine. */
function isLoopback(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]";
}

/** "https://abc-def.hf.space/x" → "abc-def"; null for any other host (and for plain http). */
export function hfSpaceSubdomain(url: string): string | null {
  const u = new URL(url);
  const match = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.hf\.space$/i.exec(u.hostname);
  return u.protocol === "https:" && match ? match[1]!.toLowerCase() : null;
}

export interface TokenDecision {
  send: boolean;
  /** why a token the user passed with --token is withheld (for a warning), when it is */
  withheld?: string;
}

/**
 * Whether the token goes to the app at `root`. `space`: the root is the host the Hub reported for a Space
 * the user named (the Hub is the user's choice, HF_ENDPOINT, and the authority on where a Space runs).
 */
export function tokenScope(root: string, from: TokenSource, space: boolean): TokenDecision {
  const url = new URL(root);
  if (url.protocol !== "https:" && !isLoopback(url))
    return from === "--token" || space
      ? { send: false, withheld: `${url.origin} is plain http and not this machine, so the token is not sent to it` }
      : { send: false };
  if (space || hfSpaceSubdomain(root) !== null) return { send: true };
  return { send: from === "--token" };
}
