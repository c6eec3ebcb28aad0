// The command line's jobs and run context: from its sources (or spacegen.config.json when none are given)
// and its options, every mistake in them refused before any source is read.

import { existsSync } from "node:fs";
import { dirname, relative } from "node:path";
import { CONFIG_FILE, loadConfig, MAX_CONCURRENCY } from "./config.js";
import type { LiveSettings } from "../load/live.js";
import { displayPath, namesJavaScript, outputPaths, parseTarget, posix, STDIO } from "../output/paths.js";
import type { Job } from "../run/job.js";
import { UserError } from "../shared/errors.js";
import { LIMITS } from "../shared/limits.js";
import { keepSecret } from "../shared/secrets.js";
import type { Io } from "./reports.js";

/** The options of the command line (commander's names). */
export interface CliOptions {
  out?: string;
  name?: string;
  url?: string;
  allEndpoints?: boolean;
  token?: string;
  check?: boolean;
  offline?: boolean;
  quiet?: boolean;
  wait?: string;
  auth?: string;
  config?: string;
  concurrency?: string;
  format?: "text" | "markdown";
  js?: boolean;
  color?: boolean;
  snapshot?: string;
}

/** Stdin's bytes, for the source "-". */
async function readStdin(io: Io): Promise<Uint8Array> {
  if (io.readStdin) return io.readStdin();
  if (process.stdin.isTTY) throw new UserError('"-" reads a snapshot or a raw /info from stdin, but stdin is a terminal; pipe one in: spacegen - < info.json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    // one byte past the cap is enough for readDocument to refuse it, without holding an endless pipe
    if ((size += (chunk as Buffer).length) > LIMITS.documentBytes) break;
  }
  return Buffer.concat(chunks);
}

export function liveSettings(options: CliOptions): LiveSettings {
  const token = options.token ?? process.env.HF_TOKEN;
  const auth = options.auth ?? process.env.SPACEGEN_AUTH;
  keepSecret(token);
  const wait = options.wait === undefined ? undefined : Number(options.wait);
  if (wait !== undefined && !(Number.isFinite(wait) && wait >= 0)) throw new UserError("--wait expects a number of seconds");
  return {
    token: token || undefined,
    tokenFrom: options.token !== undefined ? "--token" : "HF_TOKEN",
    auth: auth || undefined,
    authFrom: options.auth !== undefined ? "--auth" : "SPACEGEN_AUTH",
    waitSeconds: wait,
  };
}

export function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw new UserError(`--concurrency expects an integer from 1 to ${MAX_CONCURRENCY}`);
  return n;
}

/** Jobs from the command line's sources ("-" is stdin, read here once). */
export async function jobsFromSources(sources: string[], options: CliOptions, io: Io): Promise<Job[]> {
  const out = options.out ?? "generated";
  const target = parseTarget(out);
  const js = options.js === true || namesJavaScript(out);
  if (target.kind !== "folder" && sources.length > 1)
    throw new UserError(`-o ${out} names one ${target.kind === "file" ? "file" : "output"}, but ${sources.length} sources were given; pass a folder`);
  if (options.snapshot !== undefined && sources.length > 1) throw new UserError("--snapshot names one file, but several sources were given");
  if (target.kind === "stream" && options.check) throw new UserError(`--check compares the files on disk, and -o ${out} writes none; pass the module's path`);
  // Every other mistake in -o, --js and --snapshot, before any source is read.
  outputPaths({ out, js, ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}) }, "app");
  if (sources.filter((s) => s === STDIO).length > 1) throw new UserError('"-" (stdin) can be given only once');
  const stdin = sources.includes(STDIO) ? await readStdin(io) : undefined;
  return sources.map((source) => ({
    source,
    out,
    allEndpoints: options.allEndpoints ?? false,
    js,
    ...(source === STDIO ? { document: stdin! } : {}),
    ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
    ...(options.name ? { name: options.name } : {}),
    ...(options.url ? { url: options.url } : {}),
  }));
}

/** Jobs from spacegen.config.json (or --config). */
export async function jobsFromConfig(options: CliOptions): Promise<{ jobs: Job[]; concurrency: number; path: string }> {
  const path = options.config ?? CONFIG_FILE;
  if (!options.config && !existsSync(path))
    throw new UserError(
      `no source given and no ${CONFIG_FILE} here: pass a Space id (namespace/repo), an app URL, or a snapshot/info file, or --config <file>; see --help`,
    );
  for (const [flag, value] of [
    ["-o", options.out],
    ["--name", options.name],
    ["--url", options.url],
    ["--snapshot", options.snapshot],
  ] as const)
    if (value !== undefined) throw new UserError(`${flag} applies to a source given on the command line; set it per Space in ${path}`);
  const config = await loadConfig(path);
  const shown = posix(relative(process.cwd(), config.path));
  const regenerate = `npx spacegen${shown === CONFIG_FILE ? "" : ` --config ${shown}`}`;
  const jobs = config.spaces.map((entry, index): Job => ({
    source: entry.source,
    out: entry.out ?? config.out,
    allEndpoints: options.allEndpoints ?? entry.allEndpoints ?? config.allEndpoints,
    js: options.js === true || (entry.js ?? config.js) || namesJavaScript(entry.out ?? ""),
    regenerate,
    label: `${shown} spaces[${index}] (${/^https?:/i.test(entry.source) ? entry.source : displayPath(entry.source)})`,
    within: dirname(config.path),
    ...(entry.name ? { name: entry.name } : {}),
    ...(entry.url ? { url: entry.url } : {}),
  }));
  return { jobs, concurrency: config.concurrency, path: config.path };
}
