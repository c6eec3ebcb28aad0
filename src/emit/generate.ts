// The pipeline after loading: snapshot → IR → module text → formatted module.

import { emitModule, type EndpointTypes } from "./emit.js";
import { formatApi } from "./format.js";
import type { ApiIR } from "../normalize/ir.js";
import type { IdentifierRules } from "../normalize/names.js";
import { normalize } from "../normalize/normalize.js";
import { loadRuntimeTemplate } from "./runtime-template.js";
import { serializeSnapshot, type Snapshot } from "../load/snapshot.js";
import { INVISIBLE, unicodeEscape } from "../shared/terminal.js";
import { VERSION } from "../shared/version.js";

export interface GenerateOptions {
  allEndpoints?: boolean;
  /** the command shown in the banner to regenerate the module */
  regenerate: string;
}

export interface Generated {
  ir: ApiIR;
  /** the formatted module */
  code: string;
  /** the type texts the module declares, per endpoint in the order of `ir.endpoints` (what inspect shows) */
  types: EndpointTypes[];
  /** the snapshot file's text */
  snapshotText: string;
}

export async function generateModule(snapshot: Snapshot, options: GenerateOptions): Promise<Generated> {
  const runtime = await loadRuntimeTemplate();
  const ir = normalize(snapshot, {
    ...(needsCompilerRules(snapshot) ? { identifiers: await compilerRules() } : {}),
    allEndpoints: options.allEndpoints ?? false,
    runtimeNames: runtime.valueNames,
    runtimeTypeNames: runtime.typeNames,
  });
  // The runtime is already formatted (runtime-template.ts); prettier formats the rest.
  const { head, api, types } = await emitModule(ir, { spacegenVersion: VERSION, regenerate: options.regenerate, runtime });
  // Invisible reordering marks (bidi overrides) from a document sit only in string literals and comments
  // here; \uXXXX is the same string and shows in an editor and a diff (comments.ts escapes its own).
  const code = head + (await formatApi(api.replace(INVISIBLE, unicodeEscape)));
  return { ir, code, types, snapshotText: serializeSnapshot(snapshot) };
}

/** Whether any name that becomes an identifier (endpoint names, return labels) has non-ASCII characters. */
function needsCompilerRules(snapshot: Snapshot): boolean {
  const endpoints = snapshot.info.named_endpoints;
  if (!endpoints || typeof endpoints !== "object") return false;
  const names: unknown[] = Object.keys(endpoints);
  for (const endpoint of Object.values(endpoints)) {
    const returns = (endpoint as { returns?: unknown } | null)?.returns;
    if (Array.isArray(returns)) for (const r of returns) names.push((r as { label?: unknown } | null)?.label);
  }
  return names.some((n) => typeof n === "string" && /[^\p{ASCII}]/u.test(n));
}

/** TypeScript's own identifier tables (loaded only when needed: the compiler is large). */
async function compilerRules(): Promise<IdentifierRules> {
  const ts = (await import("typescript")).default;
  const code = (char: string) => char.codePointAt(0)!;
  return {
    start: (char) => ts.isIdentifierStart(code(char), ts.ScriptTarget.ES2022),
    part: (char) => ts.isIdentifierPart(code(char), ts.ScriptTarget.ES2022),
  };
}
