// The runtime that every module carries, read from templates/runtime.ts, tools.ts and queue.ts
// (shipped in the package).
//
// The code is cut from each template's #region, made module-private where marked internal, stripped of
// the templates' own eslint directives, and formatted once with the module's prettier options. `npm run build` caches that result in
// dist/runtime.json (keyed by the templates' hash), so the CLI does not format ~14 KB of runtime
// on every run; a stale or missing cache is simply recomputed.
//
// A module carries only the declarations it uses (`runtimeFor`): the exported ones (the module's public
// API), those the emitted API part names, and everything they reference in turn. So a module without file
// inputs has no `endpoint` helper, and no declaration is ever unused (users build with noUnusedLocals).

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type ts from "typescript";
import { formatModule } from "./format.js";

/** One top-level statement of the runtime. */
export interface RuntimeDeclaration {
  /** its text with the blank lines and comments before it, so the texts of all declarations joined are `code` */
  text: string;
  /** the names it declares */
  names: string[];
  /** the other top-level names of the runtime it references */
  uses: string[];
  /** exported from the module: public API, always emitted */
  exported: boolean;
}

export interface RuntimeTemplate {
  /** the code between the #region markers, internal exports made module-private, formatted */
  code: string;
  /** `code`, statement by statement, in order */
  declarations: RuntimeDeclaration[];
  /** top-level value names it declares (functions, consts, classes) */
  valueNames: string[];
  /** top-level type names it declares (interfaces, type aliases, classes) */
  typeNames: string[];
}

const DECLARATION = /^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(function\*?|const|let|var|class|interface|type)\s+([A-Za-z_$][\w$]*)/gm;

/** Cuts and names one template's region; `code` is not yet formatted. */
function parseRuntimeTemplate(source: string, region = "runtime"): Omit<RuntimeTemplate, "declarations"> {
  const start = source.indexOf(`// #region ${region}`);
  const end = source.indexOf(`// #endregion ${region}`);
  if (start < 0 || end < start) throw new Error(`a template lacks its #region ${region} markers`);
  const code = source
    .slice(source.indexOf("\n", start) + 1, end)
    .replace(/^export \/\* internal \*\/ /gm, "")
    // the templates' own lint directives stay home: a module's header turns every rule off, and a user's linter
    // reports a directive with nothing to disable
    .replace(/^[ \t]*\/\/ eslint-disable-next-line .*\n/gm, "")
    .trim();
  const valueNames: string[] = [];
  const typeNames: string[] = [];
  for (const [, kind, name] of code.matchAll(DECLARATION)) {
    if (kind === "interface" || kind === "type") typeNames.push(name!);
    else if (kind === "class") {
      valueNames.push(name!);
      typeNames.push(name!);
    } else valueNames.push(name!);
  }
  return { code, valueNames, typeNames };
}

/** The templates, in the order they are emitted: the call runtime, agent tools, then live status and sessions. */
const TEMPLATES = [
  { region: "runtime", url: new URL("../../templates/runtime.ts", import.meta.url) },
  { region: "tools", url: new URL("../../templates/tools.ts", import.meta.url) },
  { region: "queue", url: new URL("../../templates/queue.ts", import.meta.url) },
];
const cacheUrl = new URL("../../dist/runtime.json", import.meta.url);
// CACHE_FORMAT, readTemplates, templateHash and buildRuntime are also what scripts/build-runtime.mjs writes
// dist/runtime.json with: it imports them from dist/, which knip does not map back here, hence their @public.

/**
 * The shape of dist/runtime.json: a cache written by an older build is recomputed, not misread.
 * @public
 */
export const CACHE_FORMAT = 2;

/** @public */
export function readTemplates(): string[] {
  return TEMPLATES.map((t) => readFileSync(t.url, "utf8"));
}

/** @public */
export function templateHash(sources: string[]): string {
  return createHash("sha256").update(sources.join("\0")).digest("hex");
}

/**
 * Builds the runtime as emitted: every template's region, parsed, joined, then formatted and split.
 * @public
 */
export async function buildRuntime(sources: string[]): Promise<RuntimeTemplate> {
  const parts = sources.map((source, i) => parseRuntimeTemplate(source, TEMPLATES[i]!.region));
  const code = (await formatModule(parts.map((p) => p.code).join("\n\n"))).trimEnd();
  return {
    code,
    declarations: await splitDeclarations(code),
    valueNames: parts.flatMap((p) => p.valueNames),
    typeNames: parts.flatMap((p) => p.typeNames),
  };
}

/**
 * Splits code into its top-level statements with the names each declares and the top-level declarations it
 * references, resolved by the TypeScript checker (so a property or a local that shares a top-level name is not
 * a reference). The compiler is loaded only here: at build time, or when the cache is stale.
 */
export async function splitDeclarations(code: string): Promise<RuntimeDeclaration[]> {
  const compiler = (await import("typescript")).default;
  const file = compiler.createSourceFile("/runtime.ts", code, compiler.ScriptTarget.ES2022, true, compiler.ScriptKind.TS);
  // a program of this one file and no lib: enough to resolve its own names
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === file.fileName ? file : undefined),
    getDefaultLibFileName: () => "/lib.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === file.fileName,
    readFile: () => undefined,
  };
  const checker = compiler.createProgram([file.fileName], { noLib: true, noResolve: true, types: [] }, host).getTypeChecker();
  const declaredBy = new Map<ts.Symbol, number>();
  const names = file.statements.map((statement, i) => {
    const nodes = compiler.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((d) => d.name)
      : [(statement as { name?: ts.Node }).name];
    return nodes.map((node) => {
      const symbol = node && compiler.isIdentifier(node) ? checker.getSymbolAtLocation(node) : undefined;
      if (!symbol) throw new Error(`the runtime has a top-level statement that declares no name: ${statement.getText().slice(0, 80)}`);
      declaredBy.set(symbol, i);
      return symbol.name;
    });
  });
  let start = 0;
  return file.statements.map((statement, i) => {
    const uses = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (compiler.isIdentifier(node)) {
        const symbol = compiler.isShorthandPropertyAssignment(node.parent)
          ? checker.getShorthandAssignmentValueSymbol(node.parent)
          : checker.getSymbolAtLocation(node);
        const owner = symbol && declaredBy.get(symbol);
        if (owner !== undefined && owner !== i) uses.add(symbol!.name);
      }
      compiler.forEachChild(node, visit);
    };
    compiler.forEachChild(statement, visit);
    const text = code.slice(start, statement.end);
    start = statement.end;
    const exported = compiler.canHaveModifiers(statement) && !!compiler.getModifiers(statement)?.some((m) => m.kind === compiler.SyntaxKind.ExportKeyword);
    return { text, names: names[i]!, uses: [...uses], exported };
  });
}

/**
 * The runtime code a module carries: the exported declarations, the ones named in `used` (what the emitted
 * API part calls or names), and every declaration those reference, transitively; in template order.
 */
export function runtimeFor(runtime: RuntimeTemplate, used: Iterable<string>): string {
  const byName = new Map(runtime.declarations.flatMap((d) => d.names.map((n) => [n, d] as const)));
  const kept = new Set<RuntimeDeclaration>();
  const keep = (d: RuntimeDeclaration | undefined): void => {
    if (!d || kept.has(d)) return;
    kept.add(d);
    for (const name of d.uses) keep(byName.get(name));
  };
  for (const d of runtime.declarations) if (d.exported) keep(d);
  for (const name of used) {
    if (!byName.has(name)) throw new Error(`the module uses ${name}, which the runtime does not declare`);
    keep(byName.get(name));
  }
  return runtime.declarations
    .filter((d) => kept.has(d))
    .map((d) => d.text)
    .join("")
    .trimStart();
}

let cached: Promise<RuntimeTemplate> | undefined;

export function loadRuntimeTemplate(): Promise<RuntimeTemplate> {
  cached ??= (async () => {
    const sources = readTemplates();
    const hash = templateHash(sources);
    try {
      const cache = JSON.parse(readFileSync(cacheUrl, "utf8")) as RuntimeTemplate & { hash: string; format?: number };
      if (cache.hash === hash && cache.format === CACHE_FORMAT)
        return { code: cache.code, declarations: cache.declarations, valueNames: cache.valueNames, typeNames: cache.typeNames };
    } catch {
      // no cache (running from source, or not built yet)
    }
    return buildRuntime(sources);
  })();
  return cached;
}
