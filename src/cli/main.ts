// The command line: parse arguments into jobs (jobs.ts) and one run context, run them (run/run.ts) and
// print what happened (reports.ts). `inspect` prints an app's typed API.
// Exit codes (fixed by the contract): 0 success, 1 drift found by --check, 2 any error.

import { Command, CommanderError, Option } from "commander";
import { CONFIG_FILE } from "./config.js";
import { jobsFromConfig, jobsFromSources, liveSettings, parseConcurrency, type CliOptions } from "./jobs.js";
import { printRun, reporter, type Io } from "./reports.js";
import { generateModule } from "../emit/generate.js";
import { toolsOf } from "../emit/tools.js";
import { inspectModel, renderInspect } from "./inspect.js";
import { closeHttp } from "../load/http.js";
import { loadSource } from "../run/build.js";
import { writeProcessStdout, type RunContext } from "../run/job.js";
import { runJobs } from "../run/run.js";
import { oneLine, UserError } from "../shared/errors.js";
import { stringifyJson } from "../shared/json.js";
import { redact } from "../shared/secrets.js";
import { TerminalStatus } from "../shared/status.js";
import { terminalLine } from "../shared/terminal.js";
import { VERSION } from "../shared/version.js";

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
  const sink: Io = {
    stdout: (line) => io.stdout(terminalLine(redact(line))),
    stderr: (line) => io.stderr(terminalLine(redact(line))),
    // the module itself (-o -) and stdin pass as they are: code, not messages (generate.ts escapes its invisible characters)
    ...(io.writeStdout ? { writeStdout: io.writeStdout } : {}),
    ...(io.readStdin ? { readStdin: io.readStdin } : {}),
  };
  if (io === defaultIo) terminals.add(sink);
  return sink;
}

/**
 * Whether to colour stdout: --color or --no-color; else FORCE_COLOR (https://force-color.org; "0" and "false"
 * turn colour off, as Node reads it), which wins over NO_COLOR as in Node; else NO_COLOR (https://no-color.org);
 * else whether stdout is a terminal.
 */
export function colorWanted(flag: boolean | undefined, env: NodeJS.ProcessEnv, terminal: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR ?? "";
  if (force !== "") return force !== "0" && force.toLowerCase() !== "false";
  if ((env.NO_COLOR ?? "") !== "") return false;
  return terminal;
}

const useColor = (options: CliOptions, io: Io) => colorWanted(options.color, process.env, isTerminal(io) && process.stdout.isTTY === true);

async function generate(sources: string[], options: CliOptions, io: Io): Promise<number> {
  if (options.config && sources.length > 0) throw new UserError("pass sources or --config, not both");
  if (options.format && options.format !== "text" && !options.check) throw new UserError("--format applies to --check");
  const fromConfig = sources.length === 0 ? await jobsFromConfig(options) : null;
  const jobs = fromConfig?.jobs ?? (await jobsFromSources(sources, options, io));
  const quiet = options.quiet === true;
  const format = options.format ?? "text";
  const context: RunContext = {
    check: options.check === true,
    offline: options.offline === true,
    concurrency: parseConcurrency(options.concurrency) ?? fromConfig?.concurrency ?? 4,
    live: liveSettings(options),
    protectedFiles: fromConfig ? [{ path: fromConfig.path, what: "the config file" }] : [],
    writeStdout: io.writeStdout ?? writeProcessStdout,
    quiet,
    format,
    color: useColor(options, io),
    statusTty: isTerminal(io) && process.stderr.isTTY === true && !quiet && format === "text" && jobs.length > 1 ? process.stderr : null,
  };
  const report = reporter(jobs, context, io);
  const result = await runJobs(jobs, context, report.events);
  report.status.clear();
  return printRun(result, context, report.io);
}

async function inspect(source: string, options: CliOptions & { json?: boolean; tools?: boolean }, io: Io): Promise<number> {
  const warn = (message: string) => io.stderr(`spacegen: warning: ${source}: ${oneLine(message)}`);
  // The same loading as generation: a file, or the live app (Hub, status, token scope, login).
  const [job] = await jobsFromSources([source], options, io);
  const progress = new TerminalStatus(isTerminal(io) && process.stderr.isTTY ? process.stderr : null, io.stderr);
  const { snapshot } = await loadSource(job!, { offline: false, live: liveSettings(options), warn, progress });
  const generated = await generateModule(snapshot, { allEndpoints: options.allEndpoints ?? false, regenerate: "spacegen inspect" });
  if (options.tools) {
    // The agent tool descriptors, exactly as the module's `tools` export carries them.
    const tools = toolsOf(generated.ir).map((t) => ({ name: t.name, endpoint: t.endpoint.apiName, description: t.description, inputSchema: t.inputSchema }));
    io.stdout(stringifyJson(tools));
    return 0;
  }
  const model = await inspectModel(generated);
  io.stdout(options.json ? stringifyJson(model) : renderInspect(model, { color: useColor(options, io) }));
  return 0;
}

const EXAMPLES = `
Examples:
  spacegen gradio/hello_world                    writes generated/gradio/hello_world.ts and its .schema.json
  spacegen http://127.0.0.1:7860 -o src/app.ts   one module at an exact path
  spacegen info.json --url https://x.hf.space    from a saved raw /info; --url is the app the module calls
  spacegen app.schema.json -o app.mjs            JavaScript: app.mjs + app.d.mts
  curl -s http://127.0.0.1:7860/gradio_api/info | spacegen - -o - > app.ts
                                                 stdin to stdout (no snapshot unless --snapshot <path>)
  spacegen                                       every Space in ${CONFIG_FILE}
  spacegen --check --format markdown             exit 1 with a diff and a summary when a Space changed
  spacegen inspect gradio/hello_world            the typed API, without writing anything

Exit codes: 0 success, 1 drift found by --check, 2 any error.
Environment: HF_TOKEN, SPACEGEN_AUTH, HTTPS_PROXY/HTTP_PROXY/NO_PROXY, FORCE_COLOR, NO_COLOR, SPACEGEN_DEBUG.`;

const INSPECT_EXAMPLES = `
Examples:
  spacegen inspect gradio/hello_world
  spacegen inspect generated/app.schema.json --json
  spacegen inspect http://127.0.0.1:7860 --tools`;

export async function main(argv: string[], given: Io = defaultIo): Promise<number> {
  // `spacegen --check | head`: a closed pipe ends the output, not the process with a stack trace.
  const io = outputSink(given);
  if (given === defaultIo)
    process.stdout.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? process.exit(process.exitCode ?? 0) : undefined));
  const program = new Command("spacegen")
    .description("Generate typed, dependency-free TypeScript bindings for Gradio apps and Hugging Face Spaces")
    .version(VERSION, "-v, --version")
    .argument(
      "[source...]",
      `Space id (namespace/repo), app URL, snapshot (.schema.json), raw /info JSON file, or - (stdin); none: every Space in ${CONFIG_FILE}`,
    )
    .option(
      "-o, --out <path>",
      "output folder (default generated/); with one source the exact module file (.ts .mts .cts, or .js .mjs .cjs for JavaScript), or - for stdout",
    )
    .option("--name <name>", "module name for a URL, file or stdin source (<out>/<name>.ts)")
    .option("--url <url>", "the URL the module calls, when not where the API is read (a raw /info file, a local copy)")
    .option("--snapshot <path>", "where the snapshot goes (default: beside the module; with -o -, none unless given)")
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
    .option("--color", "colours even when stdout is not a terminal (also FORCE_COLOR)")
    .option("--no-color", "no colours (also NO_COLOR)")
    .option("-q, --quiet", "print only errors, warnings and the --check summary")
    .helpCommand("help [command]", "show help for spacegen or for a command (spacegen help inspect)")
    .addHelpText("after", EXAMPLES)
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
    .option("--color", "colours even when stdout is not a terminal (also FORCE_COLOR)")
    .option("--no-color", "no colours (also NO_COLOR)")
    .addHelpText("after", INSPECT_EXAMPLES)
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
