// Type-checks generated modules under both strict configurations of the contract, with the
// TypeScript compiler API (faster than two tsc processes).

import { resolve } from "node:path";
import ts from "typescript";
import { repoRoot } from "./paths.ts";

const common: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  erasableSyntaxOnly: true,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: false,
};

export const STRICT_CONFIGS: Record<"dom" | "node", ts.CompilerOptions> = {
  dom: { ...common, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: [] },
  node: {
    ...common,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [resolve(repoRoot, "node_modules/@types")],
  },
};

/** Diagnostics (one line each) for the files under the named configuration. */
export function typeCheck(files: string[], config: keyof typeof STRICT_CONFIGS): string[] {
  const program = ts.createProgram(files, STRICT_CONFIGS[config]);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : "";
    return `${config}: ${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}
