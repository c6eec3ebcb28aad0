// Errors that reach the user as one line and exit code 2.

import { redact } from "./secrets.js";

/** A failure the user can act on: printed as one line, exit code 2, never with a stack trace. */
export class UserError extends Error {
  override name = "UserError";
}

/** The message of any thrown value, on one line, bounded in length, with the user's secrets redacted before the cut. */
export function oneLine(error: unknown, max = 600): string {
  const text = redact(error instanceof Error ? error.message : String(error));
  const line = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").trim();
  return line.length > max ? line.slice(0, max - 1) + "…" : line;
}
