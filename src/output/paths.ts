// Where a job's files go. This module owns the module name, the paths of the module, its declarations
// (--js) and its snapshot, and the checks made on all of a run's outputs before anything is written: two
// jobs on one file, a source overwritten, a config file's output outside its folder.

import { fstatSync, lstatSync, realpathSync, statSync, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UserError } from "../shared/errors.js";
import type { Snapshot } from "../load/snapshot.js";
import { isUrl, nameFromUrl } from "../load/load.js";
import { spaceIdOf } from "../load/live.js";

export const posix = (path: string) => path.split(sep).join("/");
/** A path as messages show it: relative to the working folder when inside it, else absolute. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === "" ? "." : shown === ".." || shown.startsWith(".." + sep) || isAbsolute(shown) ? posix(resolve(path)) : posix(shown);
}

/** The source that reads a document from stdin, and the output that writes the module to stdout. */
export const STDIO = "-";

/** Where a job's module goes, as the user said it. */
export type Target =
  /** `<path>/<name>.ts` (or `.js`) */
  | { kind: "folder"; path: string }
  /** exactly this module file */
  | { kind: "file"; path: string }
  /** stdout (`null`), or a device or pipe such as /dev/stdout, written in place: neither can be renamed over */
  | { kind: "stream"; path: string | null };

const MODULE_FILE = /\.([mc]?)(ts|js)$/i;
const DECLARATION_FILE = /\.d\.[mc]?ts$/i;
const JS_FILE = /\.[mc]?js$/i;
const MODULE_NAME = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** What `-o` (or a config entry's `out`) names. */
export function parseTarget(out: string): Target {
  if (out === STDIO) return { kind: "stream", path: null };
  refuseNul(out, "-o");
  if (DECLARATION_FILE.test(out))
    throw new UserError(`-o ${out} names a declaration file; name the module (a .ts file, or .js with --js, which writes the .d.ts beside it)`);
  const path = resolve(out);
  const stat = statIfExists(path);
  if (stat && !stat.isFile() && !stat.isDirectory()) return { kind: "stream", path: isStdout(stat) ? null : path };
  return MODULE_FILE.test(out) ? { kind: "file", path } : { kind: "folder", path };
}

/** `-o x.js`, `x.mjs` or `x.cjs` asks for JavaScript. */
export const namesJavaScript = (out: string) => JS_FILE.test(out);

/** What a job says about its outputs. */
export interface OutputRequest {
  /** a folder, an exact module file (.ts .mts .cts, or .js .mjs .cjs), "-" for stdout, or a device or pipe */
  out: string;
  js: boolean;
  /** where the snapshot goes instead of beside the module (needed to keep one with `-o -`) */
  snapshot?: string;
}

/** Where one job writes. */
export interface OutputPaths {
  /** the module file; null when the module goes to stdout */
  module: string | null;
  /** the module is written in place (stdout, a device, a pipe), not through a temporary file and a rename */
  inPlace: boolean;
  /** --js: the declarations beside the module */
  declarations: string | null;
  /** null when there is none to write: `-o -` or a device without --snapshot */
  snapshot: string | null;
  /** --js: compile to CommonJS (a .cjs module) */
  commonJs: boolean;
}

/** The module name: the Space id, else --name, else the name the snapshot recorded. */
export function moduleName(name: string | undefined, snapshot: Pick<Snapshot, "source">): string {
  return snapshot.source.space ?? name ?? snapshot.source.name;
}

/**
 * The module name a live source implies before it is read (the same rule: the Space id, else --name, else
 * the URL's host and path); null for a file or stdin, whose name only its document knows.
 */
export function sourceModuleName(source: string, name: string | undefined): string | null {
  return spaceIdOf(source) ?? name ?? (isUrl(source) ? nameFromUrl(source) : null);
}

/** Where a job's module, declarations and snapshot go, for module name `name`. */
export function outputPaths(request: OutputRequest, name: string): OutputPaths {
  const target = parseTarget(request.out);
  const snapshot = request.snapshot === undefined ? null : (refuseNul(request.snapshot, "--snapshot"), resolve(request.snapshot));
  if (target.kind === "stream") {
    if (request.js) throw new UserError(`-o ${request.out} writes one file, and --js writes two (the .js and its .d.ts); pass -o <file>.js`);
    return { module: target.path, inPlace: true, declarations: null, snapshot, commonJs: false };
  }
  let module: string;
  if (target.kind === "file") module = request.js ? target.path.replace(MODULE_FILE, (_, flavour: string) => `.${flavour}js`) : target.path;
  else {
    if (!MODULE_NAME.test(name)) throw new UserError(`invalid module name ${JSON.stringify(name)}; pass --name`);
    module = resolve(target.path, `${name}${request.js ? ".js" : ".ts"}`);
  }
  const flavour = MODULE_FILE.exec(module)![1]!.toLowerCase();
  return {
    module,
    inPlace: false,
    declarations: request.js ? module.replace(MODULE_FILE, `.d.${flavour}ts`) : null,
    snapshot: snapshot ?? module.replace(MODULE_FILE, ".schema.json"),
    commonJs: request.js && flavour === "c",
  };
}

/** A path from a config file or an API caller may hold a NUL byte, which no file system accepts. */
function refuseNul(path: string, what: string): void {
  if (path.includes("\0")) throw new UserError(`${what} ${JSON.stringify(path)}: a path cannot contain a NUL byte`);
}

/** Whether a file is this process's stdout (/dev/stdout, /dev/fd/1), which may be a socket no path can open. */
function isStdout(stat: Stats): boolean {
  try {
    const out = fstatSync(1);
    return out.dev === stat.dev && out.ino === stat.ino;
  } catch {
    return false;
  }
}

function statIfExists(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function lstatIfExists(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * The file a rename onto `path` replaces: the real path of its folder (symbolic links resolved) plus its
 * name. The name itself is not resolved, because a rename replaces a link rather than writing through it.
 */
function whereWritten(path: string): string {
  const absolute = resolve(path);
  let folder = dirname(absolute);
  const rest: string[] = [basename(absolute)];
  for (;;) {
    try {
      return join(realpathSync(folder), ...rest);
    } catch {
      const parent = dirname(folder);
      if (parent === folder) return absolute;
      rest.unshift(basename(folder));
      folder = parent;
    }
  }
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return whereWritten(path);
  }
}

const inside = (folder: string, path: string) => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/** One job's outputs, with what the checks need to know about it. */
export interface PlannedJob {
  /** names the job in messages: its source, or its config entry */
  label: string;
  paths: OutputPaths;
  /** the file it was read from, and whether that file was a spacegen snapshot (which may be regenerated in place) */
  source: { path: string; snapshot: boolean } | null;
  /** a config file's folder: every output must stay inside it */
  within: string | null;
}

/**
 * Every reason not to write a run's outputs, one line each (empty: write them): two jobs (or a job's module
 * and its own --snapshot) on one file, or on two names that differ only in case, an output that would overwrite a source (a raw /info is never replaced
 * by a snapshot; a snapshot may be regenerated in place), a config output outside the config's folder, and
 * an output that is a folder.
 */
export function planProblems(jobs: PlannedJob[], protectedFiles: { path: string; what: string }[] = []): string[] {
  const problems: string[] = [];
  // keyed case-insensitively: on macOS's and Windows's default file systems, Chat.ts and chat.ts are one file
  const claimed = new Map<string, { job: number; role: string; real: string; shown: string }>();
  const sources = new Map<string, { job: number; snapshot: boolean }>();
  jobs.forEach((job, index) => {
    if (job.source) sources.set(realPathOf(job.source.path), { job: index, snapshot: job.source.snapshot });
  });
  const guarded = new Map(protectedFiles.map((f) => [realPathOf(f.path), f.what]));
  jobs.forEach((job, index) => {
    const { paths } = job;
    const files: [string, string][] = [];
    if (paths.snapshot) files.push([paths.snapshot, "snapshot"]);
    if (paths.declarations) files.push([paths.declarations, "declarations"]);
    if (paths.module && !paths.inPlace) files.push([paths.module, "module"]);
    const within = job.within === null ? null : realPathOf(job.within);
    for (const [path, role] of files) {
      const real = whereWritten(path);
      const shown = displayPath(path);
      const first = claimed.get(real.toLowerCase());
      if (first?.real === real) {
        problems.push(
          first.job === index
            ? `${job.label}: its ${first.role} and its ${role} would both be ${shown}; pass another --snapshot`
            : `${jobs[first.job]!.label} and ${job.label} would both write ${shown}; give one of them another output (-o, --name, or "out"/"name" in the config)`,
        );
        continue;
      }
      if (first) {
        const who = first.job === index ? job.label : `${jobs[first.job]!.label} and ${job.label}`;
        problems.push(
          `${who} would write ${first.shown} and ${shown}, one file where names ignore case (macOS, Windows); give one of them another output (-o, --name, or "out"/"name" in the config)`,
        );
        continue;
      }
      claimed.set(real.toLowerCase(), { job: index, role, real, shown });
      const source = sources.get(real);
      if (source && !(source.job === index && source.snapshot && role === "snapshot")) {
        const owner = source.job === index ? "its source" : `the source of ${jobs[source.job]!.label}`;
        const kind = source.snapshot ? "" : " (a raw /info, which a snapshot never replaces)";
        problems.push(`${job.label}: its ${role} would overwrite ${shown}, ${owner}${kind}; pass -o (or --snapshot) to write elsewhere`);
      }
      const guard = guarded.get(real);
      if (guard) problems.push(`${job.label}: its ${role} would overwrite ${shown}, ${guard}`);
      if (within !== null && !inside(within, real)) {
        const link = inside(within, resolve(path)) ? " through a symbolic link" : "";
        problems.push(
          `${job.label}: its ${role} ${shown} is${link} outside ${posix(within)}, the config file's folder; a config file writes only inside its own folder`,
        );
      }
      if (lstatIfExists(path)?.isDirectory()) problems.push(`${job.label}: cannot write ${shown}: it is a folder`);
    }
  });
  return problems;
}
