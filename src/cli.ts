// The command line: parse arguments into jobs (from sources, or from spacegen.config.json when none are
// given) and settings, then hand them to run.ts. `inspect` prints an app's typed API.
// Exit codes (fixed by the contract): 0 success, 1 drift found by --check, 2 any error.

import { existsSync } from "node:fs";
import { relative } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { CONFIG_FILE, loadConfig, MAX_CONCURRENCY } from "./config.js";
import { keepSecret, redact } from "./credentials.js";
import { oneLine, UserError } from "./errors.js";
import { generateModule } from "./generate.js";
import { toolsOf } from "./tool-schema.js";
import { closeHttp } from "./http.js";
import { Progress } from "./hub.js";
import { loadSnapshot, posix, runJobs, type Io, type Job, type LiveSettings, type RunSettings } from "./run.js";
import { stringifyJson } from "./json.js";
import { terminalLine } from "./terminal.js";
import { VERSION } from "./version.js";

interface CliOptions {
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
}

const defaultIo: Io = {
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
};

/** The process's own stdout/stderr behind the sink (colours and progress lines only there). */
const terminals = new WeakSet<Io>();
const isTerminal = (io: Io) => terminals.has(io);

/**
 * The one sink every output line passes: the user's secrets redacted, control characters from documents
 * escaped, style marks turned into colours (terminal.ts). Whatever printed it, nothing reaches the terminal raw.
 */
function outputSink(io: Io): Io {
  const sink: Io = { stdout: (line) => io.stdout(terminalLine(redact(line))), stderr: (line) => io.stderr(terminalLine(redact(line))) };
  if (io === defaultIo) terminals.add(sink);
  return sink;
}

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org) or --no-color. */
function useColor(options: CliOptions, io: Io): boolean {
  if (options.color === false || (process.env.NO_COLOR ?? "") !== "") return false;
  return isTerminal(io) && process.stdout.isTTY === true;
}

function liveSettings(options: CliOptions): LiveSettings {
  const token = options.token ?? process.env.HF_TOKEN;
  const auth = options.auth ?? process.env.SPACEGEN_AUTH;
  keepSecret(token);
  const wait = options.wait === undefined ? undefined : Number(options.wait);
  if (wait !== undefined && !(Number.isFinite(wait) && wait >= 0)) throw new UserError("--wait expects a number of seconds");
  return {
    ...(token ? { token, tokenFrom: options.token !== undefined ? "--token" : "HF_TOKEN" } : {}),
    ...(auth ? { auth, authFrom: options.auth !== undefined ? "--auth" : "SPACEGEN_AUTH" } : {}),
    ...(wait !== undefined ? { waitSeconds: wait } : {}),
  };
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw new UserError(`--concurrency expects an integer from 1 to ${MAX_CONCURRENCY}`);
  return n;
}

/** Jobs from the command line's sources. */
function jobsFromSources(sources: string[], options: CliOptions): Job[] {
  const out = options.out ?? "generated";
  const exact = /\.(ts|js)$/i.test(out);
  if (exact && sources.length > 1) throw new UserError(`-o ${out} names one file, but several sources were given; pass a folder`);
  const js = options.js === true || /\.js$/i.test(out);
  return sources.map((source) => ({
    source,
    out,
    allEndpoints: options.allEndpoints ?? false,
    js,
    ...(options.name ? { name: options.name } : {}),
    ...(options.url ? { url: options.url } : {}),
  }));
}

/** Jobs from spacegen.config.json (or --config). */
async function jobsFromConfig(options: CliOptions): Promise<{ jobs: Job[]; concurrency: number }> {
  const path = options.config ?? CONFIG_FILE;
  if (!options.config && !existsSync(path))
    throw new UserError(`no source given and no ${CONFIG_FILE} here: pass a Space id (namespace/repo), an app URL, or a snapshot/info file, or --config <file>; see --help`);
  for (const [flag, value] of [["-o", options.out], ["--name", options.name], ["--url", options.url]] as const)
    if (value !== undefined) throw new UserError(`${flag} applies to a source given on the command line; set it per Space in ${path}`);
  const config = await loadConfig(path);
  const shown = posix(relative(process.cwd(), config.path));
  const regenerate = `npx spacegen${shown === CONFIG_FILE ? "" : ` --config ${shown}`}`;
  const jobs = config.spaces.map(
    (entry): Job => ({
      source: entry.source,
      out: entry.out ?? config.out,
      allEndpoints: options.allEndpoints ?? entry.allEndpoints ?? config.allEndpoints,
      js: options.js === true || (entry.js ?? config.js) || /\.js$/i.test(entry.out ?? ""),
      regenerate,
      ...(entry.name ? { name: entry.name } : {}),
      ...(entry.url ? { url: entry.url } : {}),
    }),
  );
  return { jobs, concurrency: config.concurrency };
}

async function generate(sources: string[], options: CliOptions, io: Io): Promise<number> {
  if (options.config && sources.length > 0) throw new UserError("pass sources or --config, not both");
  if (options.format && options.format !== "text" && !options.check) throw new UserError("--format applies to --check");
  const fromConfig = sources.length === 0 ? await jobsFromConfig(options) : null;
  const jobs = fromConfig?.jobs ?? jobsFromSources(sources, options);
  const quiet = options.quiet === true;
  const format = options.format ?? "text";
  const tty = isTerminal(io) && process.stderr.isTTY === true && !quiet && format === "text" && jobs.length > 1 ? process.stderr : null;
  const settings: RunSettings = {
    check: options.check === true,
    offline: options.offline === true,
    quiet,
    format,
    concurrency: parseConcurrency(options.concurrency) ?? fromConfig?.concurrency ?? 4,
    color: useColor(options, io),
    progressTty: tty,
    live: liveSettings(options),
  };
  return runJobs(jobs, settings, io);
}

async function inspect(source: string, options: CliOptions & { json?: boolean; tools?: boolean }, io: Io): Promise<number> {
  const warn = (message: string) => io.stderr(`spacegen: warning: ${source}: ${oneLine(message)}`);
  // The same loading as generation: a file, or the live app (Hub, status, token scope, login).
  const [job] = jobsFromSources([source], options);
  const progress = new Progress(isTerminal(io) && process.stderr.isTTY ? process.stderr : null, io.stderr);
  const snapshot = await loadSnapshot(job!, { offline: false, live: liveSettings(options) }, warn, progress);
  const generated = await generateModule(snapshot, { allEndpoints: options.allEndpoints ?? false, regenerate: "spacegen inspect" });
  if (options.tools) {
    // The agent tool descriptors, exactly as the module's `tools` export carries them.
    const tools = toolsOf(generated.ir).map((t) => ({ name: t.name, endpoint: t.endpoint.apiName, description: t.description, inputSchema: t.inputSchema }));
    io.stdout(stringifyJson(tools));
    return 0;
  }
  const { inspectModel, renderInspect } = await import("./inspect.js"); // loads the TypeScript compiler
  const model = inspectModel(generated.ir, generated.code);
  io.stdout(options.json ? stringifyJson(model) : renderInspect(model, { color: useColor(options, io) }));
  return 0;
}

export async function main(argv: string[], given: Io = defaultIo): Promise<number> {
  // `spacegen --check | head`: a closed pipe ends the output, not the process with a stack trace.
  const io = outputSink(given);
  if (given === defaultIo) process.stdout.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? process.exit(process.exitCode ?? 0) : undefined));
  const program = new Command("spacegen")
    .description("Generate typed, dependency-free TypeScript bindings for Gradio apps and Hugging Face Spaces")
    .version(VERSION, "-v, --version")
    .argument("[source...]", `Space id (namespace/repo), app URL, snapshot (.schema.json) or raw /info JSON file; none: every Space in ${CONFIG_FILE}`)
    .option("-o, --out <path>", "output folder (default generated/), or with one source the exact .ts (or .js) file")
    .option("--name <name>", "module name for a URL or file source (<out>/<name>.ts)")
    .option("--url <url>", "the URL the module calls, when not where the API is read (a raw /info file, a local copy)")
    .option("--all-endpoints", "include endpoints the app leaves undocumented")
    .option("--token <token>", "Hugging Face token (default: HF_TOKEN, which goes only to the Hub and Spaces); sent to the Hub and the app")
    .option("--wait <seconds>", "how long to wait for a Space that is building, starting or asleep (default 300)")
    .option("--auth <user:password>", "log in to a Gradio app launched with auth= (default: SPACEGEN_AUTH)")
    .option("--config <file>", `the config file to regenerate (default: ${CONFIG_FILE}, used when no source is given)`)
    .option("--js", "write .js + .d.ts (compiled by the TypeScript compiler) instead of .ts")
    .option("--check", "write nothing; exit 1 if any output would change, with a diff and a breaking/additive summary")
    .addOption(new Option("--format <format>", "--check summary format").choices(["text", "markdown"]))
    .option("--offline", "regenerate from the snapshots beside the outputs, without network")
    .option("--concurrency <n>", "how many Spaces at once (default: the config's, else 4)")
    .option("--no-color", "no colours (also NO_COLOR)")
    .option("-q, --quiet", "print only errors, warnings and the --check summary")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) });
  let code = 0;
  program.action(async (sources: string[], options: CliOptions) => {
    code = await generate(sources, options, io);
  });
  program
    .command("inspect")
    .description("print an app's endpoints with their typed signatures, defaults, files and streaming")
    .argument("<source>", "Space id, app URL, snapshot or raw /info file")
    .option("--json", "machine-readable output")
    .option("--tools", "print the agent tool descriptors (name, description, JSON Schema of the input) as JSON")
    .option("--all-endpoints", "include endpoints the app leaves undocumented")
    .option("--name <name>", "module name for a URL or file source")
    .option("--url <url>", "the app's URL, for a raw /info file")
    .option("--token <token>", "Hugging Face token (default: HF_TOKEN)")
    .option("--wait <seconds>", "how long to wait for a Space that is starting")
    .option("--auth <user:password>", "log in to a Gradio app launched with auth=")
    .option("--no-color", "no colours (also NO_COLOR)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) })
    .action(async (source: string, options: CliOptions & { json?: boolean; tools?: boolean }) => {
      code = await inspect(source, options, io);
    });
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = error instanceof UserError ? oneLine(error) : `internal error: ${oneLine(error)} (please report it; SPACEGEN_DEBUG=1 shows the stack)`;
    io.stderr(`spacegen: error: ${message}`);
    if (process.env.SPACEGEN_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack);
    return 2;
  } finally {
    await closeHttp();
  }
}
