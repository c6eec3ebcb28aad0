// --js: the generated module compiled to `.js` + `.d.ts` by the TypeScript compiler API, in memory,
// then formatted like the `.ts` module. Same module text in, same bytes out.

import ts from "typescript";
import { format } from "prettier";
import { memoryHost } from "../shared/compiler-host.js";

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
  strict: true,
  declaration: true,
  removeComments: false,
  newLine: ts.NewLineKind.LineFeed,
  skipLibCheck: true,
  noEmitOnError: false,
  sourceMap: false,
};

export interface CompiledJs {
  js: string;
  dts: string;
}

/** Compiles one self-contained module to JavaScript (ES module, or CommonJS for a .cjs file) and its declarations. */
export async function compileToJs(code: string, options: { commonJs?: boolean } = {}): Promise<CompiledJs> {
  const files = new Map([["/module.ts", code]]);
  const written = new Map<string, string>();
  const compilerOptions = options.commonJs ? { ...OPTIONS, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 } : OPTIONS;
  const program = ts.createProgram(["/module.ts"], { ...compilerOptions, outDir: "/out" }, memoryHost(files, compilerOptions, written));
  const result = program.emit();
  const js = written.get("/out/module.js");
  const dts = written.get("/out/module.d.ts");
  if (result.emitSkipped || js === undefined || dts === undefined) throw new Error("the TypeScript compiler emitted no JavaScript for the module");
  // The declarations lose the banner (it is attached to no declaration): put it back. CommonJS output
  // starts with "use strict", which the banner goes before (a directive may follow comments).
  const banner = /^(\/\/.*\n)+/.exec(code)?.[0] ?? "";
  const strict = '"use strict";\n';
  const ordered = js.startsWith(strict + banner) ? banner + strict + js.slice(strict.length + banner.length) : js;
  return {
    js: await format(ordered, { parser: "babel", printWidth: 100 }),
    dts: await format(dts.startsWith(banner) ? dts : banner + dts, { parser: "typescript", printWidth: 100 }),
  };
}
