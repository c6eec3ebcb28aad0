// The user's secrets (the token, a login password) kept out of every message: the registry every printer and
// error message redacts against. Which apps get the token, and in which header: load/credentials.ts.

// Secrets the user gave: no message, warning or output line may carry them,
// even when a server echoes them back (in an error body, a header, a document).
const secrets = new Set<string>();

/** Registers a secret; every later message is redacted of it. Very short values are not (they would mangle text). */
export function keepSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

const REDACTED = "[redacted]";

/** Text with every registered secret replaced. Applied before any truncation, so no piece survives a cut. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** The first registered secret found in `text`, if any (to refuse a document that echoes one). */
export function containsSecret(text: string): boolean {
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}
