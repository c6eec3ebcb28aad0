// The command line: parse arguments, run the pipeline per source, report in one line per outcome.
// Exit codes (fixed by the contract): 0 success, 1 drift found by --check, 2 any error.

import { existsSync, statSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { Command, CommanderError } from "commander";
import { oneLine, UserError } from "./errors.js";
import { generateModule } from "./generate.js";
import { closeHttp } from "./http.js";
import { Progress } from "./hub.js";
import { isUrl, loadFromFile, SPACE_ID } from "./load.js";
import type { Snapshot } from "./snapshot.js";
import { loadLive, spaceIdOf } from "./sources.js";
import { VERSION } from "./version.js";
import { readIfExists, unifiedDiff, writeAtomic } from "./write.js";

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
}

interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const defaultIo: Io = {
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
};

type SourceKind = "file" | "url" | "space";

function sourceKind(source: string): SourceKind {
  if (isUrl(source)) return "url";
  if (existsSync(source) && statSync(source).isFile()) return "file";
  if (SPACE_ID.test(source) && !/\.json$/i.test(source)) return "space";
  throw new UserError(`${source}: not a file, an http(s) URL, or a Space id like "namespace/repo"`);
}

const posix = (path: string) => path.split(sep).join("/");

/** Where a module goes: `-o x.ts` exactly; else `<out>/<ns>/<repo>.ts` for Spaces and `<out>/<name>.ts` otherwise. */
function modulePath(snapshot: Snapshot, options: CliOptions, single: boolean): string {
  const out = options.out ?? "generated";
  if (/\.ts$/i.test(out)) {
    if (!single) throw new UserError(`-o ${out} names one file, but several sources were given; pass a folder`);
    return resolve(out);
  }
  const name = snapshot.source.space ?? options.name ?? snapshot.source.name;
  if (!/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(name)) throw new UserError(`invalid module name ${JSON.stringify(name)}; pass --name`);
  return resolve(out, `${name}.ts`);
}

const snapshotPathOf = (moduleFile: string) => moduleFile.replace(/\.ts$/i, ".schema.json");

async function load(source: string, options: CliOptions, single: boolean, warn: (m: string) => void, io: Io = defaultIo): Promise<Snapshot> {
  const kind = sourceKind(source);
  const common = { allEndpoints: options.allEndpoints ?? false, warn, ...(options.name ? { name: options.name } : {}) };
  if (kind === "file") return loadFromFile(source, { ...common, ...(options.url ? { url: options.url } : {}) });
  if (options.offline) {
    // Offline: the snapshot beside the module stands in for the app.
    const placeholder: Snapshot = {
      spacegen: 1,
      source: { space: spaceIdOf(source), url: kind === "url" ? source : "https://x", name: options.name ?? "" },
      gradioVersion: null,
      config: null,
      apiPrefix: null,
      info: {},
      notes: [],
    };
    const path = snapshotPathOf(modulePath(placeholder, options, single));
    if (!existsSync(path)) throw new UserError(`${source}: --offline needs the snapshot ${posix(relative(process.cwd(), path))}, which does not exist`);
    return loadFromFile(path, common);
  }
  // Hub resolution, Space status, token scoping and Gradio login: src/sources.ts.
  const token = options.token ?? process.env.HF_TOKEN;
  const auth = options.auth ?? process.env.SPACEGEN_AUTH;
  const wait = options.wait === undefined ? undefined : Number(options.wait);
  if (wait !== undefined && !(Number.isFinite(wait) && wait >= 0)) throw new UserError("--wait expects a number of seconds");
  return loadLive(source, {
    ...common,
    warn,
    progress: new Progress(io === defaultIo && process.stderr.isTTY ? process.stderr : null, io.stderr),
    ...(token ? { token } : {}),
    ...(auth ? { auth, authFrom: options.auth !== undefined ? "--auth" : "SPACEGEN_AUTH" } : {}),
    ...(wait !== undefined ? { waitSeconds: wait } : {}),
  });
}

function regenerateCommand(snapshot: Snapshot, moduleFile: string, sourceWasRawInfo: boolean): string {
  const out = posix(relative(process.cwd(), moduleFile));
  const source = snapshot.source.space ?? (sourceWasRawInfo ? snapshotPathOf(out) : snapshot.source.url);
  return `npx spacegen ${source} -o ${out}`;
}

async function run(sources: string[], options: CliOptions, io: Io): Promise<number> {
  if (sources.length === 0) throw new UserError("no source given: pass a Space id (namespace/repo), an app URL, or a snapshot/info file; see --help");
  let drift = false;
  for (const source of sources) {
    const warn = (message: string) => io.stderr(`spacegen: warning: ${source}: ${oneLine(message)}`);
    const snapshot = await load(source, options, sources.length === 1, warn, io);
    const moduleFile = modulePath(snapshot, options, sources.length === 1);
    const snapshotFile = snapshotPathOf(moduleFile);
    const rawInfo = snapshot.config === null && snapshot.apiPrefix === null;
    const generated = await generateModule(snapshot, {
      allEndpoints: options.allEndpoints ?? false,
      regenerate: regenerateCommand(snapshot, moduleFile, rawInfo),
    });
    for (const warning of generated.ir.warnings) warn(warning);
    const outputs: [string, string][] = [
      [moduleFile, generated.code],
      [snapshotFile, generated.snapshotText],
    ];
    if (options.check) {
      for (const [file, content] of outputs) {
        const current = await readIfExists(file);
        if (current === content) continue;
        drift = true;
        const name = posix(relative(process.cwd(), file));
        io.stdout(current === null ? `${name}: missing` : unifiedDiff(current, content, `a/${name}`, `b/${name}`));
      }
      continue;
    }
    // The module last: a snapshot never describes a module that was not written.
    await writeAtomic(snapshotFile, generated.snapshotText);
    await writeAtomic(moduleFile, generated.code);
    if (!options.quiet)
      io.stdout(`wrote ${posix(relative(process.cwd(), moduleFile))} (${generated.ir.endpoints.length} endpoint${generated.ir.endpoints.length === 1 ? "" : "s"})`);
  }
  if (options.check && !options.quiet) io.stdout(drift ? "spacegen --check: outputs differ (exit 1)" : "spacegen --check: all outputs up to date");
  return drift ? 1 : 0;
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const program = new Command("spacegen")
    .description("Generate typed, dependency-free TypeScript bindings for Gradio apps and Hugging Face Spaces")
    .version(VERSION, "-v, --version")
    .argument("[source...]", "Space id (namespace/repo), app URL, snapshot (.schema.json) or raw /info JSON file")
    .option("-o, --out <path>", "output folder (default generated/), or with one source the exact .ts file")
    .option("--name <name>", "module name for a URL or file source (<out>/<name>.ts)")
    .option("--url <url>", "the app's URL, when generating from a raw /info file")
    .option("--all-endpoints", "include endpoints the app leaves undocumented")
    .option("--token <token>", "Hugging Face token (default: HF_TOKEN); sent only to huggingface.co and the Space")
    .option("--wait <seconds>", "how long to wait for a Space that is building, starting or asleep (default 300)")
    .option("--auth <user:password>", "log in to a Gradio app launched with auth= (default: SPACEGEN_AUTH)")
    .option("--check", "write nothing; exit 1 if any output would change, showing a diff")
    .option("--offline", "regenerate from the snapshots beside the outputs, without network")
    .option("-q, --quiet", "print only errors and warnings")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) });
  let code = 0;
  program.action(async (sources: string[], options: CliOptions) => {
    code = await run(sources, options, io);
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
