// What a run is made of: jobs (one module each, from the command line, spacegen.config.json or the API) and
// the one context the command line builds from its options and hands down.

import type { LiveSettings } from "../load/live.js";
import type { OutputRequest } from "../output/paths.js";
import { oneLine, UserError } from "../shared/errors.js";

/** One module to produce. */
export interface Job extends OutputRequest {
  /** a Space id, an app URL, a file, or "-" (stdin) */
  source: string;
  /** the document itself, for stdin ("-") or the API: a snapshot or a raw /info */
  document?: Uint8Array;
  name?: string;
  /** the URL the module calls, when not where its API was read */
  url?: string;
  allEndpoints: boolean;
  /** the command written into the banner; derived from the source when absent */
  regenerate?: string;
  /** names the job in messages about its outputs (default: its source) */
  label?: string;
  /** a config file's folder: the job's outputs must stay inside it */
  within?: string;
}

/** The settings of one run, as the command line (or the API) read them: built once, passed down as they are. */
export interface RunContext {
  check: boolean;
  offline: boolean;
  concurrency: number;
  live: LiveSettings;
  /** files no output may replace (the config file), with what to call them */
  protectedFiles: { path: string; what: string }[];
  /** raw text on stdout, for the module of `-o -` */
  writeStdout: (text: string) => Promise<void>;
  // How the run is reported (cli/reports.ts):
  quiet: boolean;
  format: "text" | "markdown";
  /** colour diffs and summaries on stdout */
  color: boolean;
  /** the terminal for the one-line status display, or null (not a TTY, quiet, markdown) */
  statusTty: NodeJS.WriteStream | null;
}

/** The job's source as messages name it. */
export const sourceName = (job: Job) => (job.source === "-" ? "stdin" : job.source);

/** A failure as the line printed after "spacegen: error: ", naming the job's source. */
export function jobError(job: Job, error: unknown): string {
  const message = error instanceof UserError ? oneLine(error) : `internal error: ${oneLine(error)} (please report it; SPACEGEN_DEBUG=1 shows the stack)`;
  return message.startsWith(sourceName(job)) ? message : `${sourceName(job)}: ${message}`;
}

/** The stack of an unexpected failure, for SPACEGEN_DEBUG; null otherwise. */
export function debugStack(error: unknown): string | null {
  return !(error instanceof UserError) && process.env.SPACEGEN_DEBUG && error instanceof Error && error.stack ? error.stack : null;
}

/** Writes to the process's stdout, resolving once the text is handed over. */
export function writeProcessStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
