// Issue 7, part 2: property-based tests. Random valid /info documents, with component schemas drawn
// from real Gradio 6 shapes (../shared/fixtures/protocol/component-schemas-gradio6-head.json), random
// endpoint and parameter names (any Unicode), defaults and enums → generation succeeds, every module
// compiles under both strict configurations (type-checked in batches), and each endpoint's input keys
// and output arity match the document, read back from the IR and from the emitted types.
//
// Type-checking speed: the runtime (~1,000 lines) is the same text in every module, so it is checked
// once: each module must contain it byte for byte, and is type-checked as its API part importing the
// runtime's names from one shared file (rt.ts). The first modules are also checked whole.
//
// SPACEGEN_FUZZ_RUNS overrides the number of cases (default 1000); SPACEGEN_FUZZ_SEED replays a run.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import { loadRuntimeTemplate } from "../../src/emit/runtime-template.ts";
import { trimInfo, SNAPSHOT_FORMAT, type Snapshot } from "../../src/load/snapshot.ts";
import { sharedFixtures } from "../support/paths.ts";
import { STRICT_CONFIGS } from "../support/strict.ts";

const RUNS = Number(process.env.SPACEGEN_FUZZ_RUNS ?? 1000);
/** modules type-checked whole, runtime included */
const WHOLE = 4;
const SEED = process.env.SPACEGEN_FUZZ_SEED ? Number(process.env.SPACEGEN_FUZZ_SEED) : Date.now() % 2 ** 31;

type Obj = Record<string, unknown>;
const components = JSON.parse(readFileSync(resolve(sharedFixtures, "protocol/component-schemas-gradio6-head.json"), "utf8")) as Record<
  string,
  { type: unknown; python_type: unknown }
>;
const componentNames = Object.keys(components);

/** Names as Spaces write them: identifiers, words with spaces and dashes, any Unicode, reserved words. */
const nameArb = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
  fc.constantFrom(
    "class",
    "default",
    "fetch",
    "space",
    "endpoints",
    "createClient",
    "SpaceError",
    "FileData",
    "endpoint",
    "bind",
    "__proto__",
    "constructor",
    "prototype",
    "Promise",
    "*/",
    "${x}",
    "a b",
    "a-b",
    "a_1",
  ),
);

const enumArb = fc.uniqueArray(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), {
  minLength: 1,
  maxLength: 6,
});

const paramArb = (name: string) =>
  fc
    .record({
      component: fc.constantFrom(...componentNames),
      label: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      hasDefault: fc.boolean(),
      defaultValue: fc.jsonValue({ maxDepth: 3 }),
      enumValues: fc.option(enumArb, { nil: undefined }),
      description: fc.string({ maxLength: 30 }),
    })
    .map((p) => {
      const base = components[p.component]!;
      let type = structuredClone(base.type) as Obj;
      if (p.enumValues && (p.component.startsWith("Dropdown") || p.component === "Radio"))
        type =
          p.component === "Dropdown(multiselect)" ? { type: "array", items: { type: "string", enum: p.enumValues } } : { type: "string", enum: p.enumValues };
      return {
        label: p.label ?? name,
        parameter_name: name,
        parameter_has_default: p.hasDefault,
        parameter_default: p.hasDefault ? p.defaultValue : null,
        type,
        python_type: { type: String(base.python_type), description: p.description },
        component: p.component.replace(/\(.*$/, ""),
        example_input: p.defaultValue,
      };
    });

const returnArb = fc.record({ component: fc.constantFrom(...componentNames), label: fc.string({ maxLength: 20 }) }).map((r) => ({
  label: r.label,
  type: structuredClone(components[r.component]!.type),
  python_type: { type: String(components[r.component]!.python_type), description: "" },
  component: r.component.replace(/\(.*$/, ""),
}));

const endpointArb = fc
  .uniqueArray(nameArb, { maxLength: 5 })
  .chain((names) => fc.tuple(fc.tuple(...names.map(paramArb)), fc.array(returnArb, { maxLength: 4 }), fc.string({ maxLength: 40 }), fc.boolean()))
  .map(([parameters, returns, description, undocumented]) => ({
    parameters,
    returns,
    description,
    api_visibility: undocumented ? "undocumented" : "public",
  }));

const docArb = fc
  .uniqueArray(
    fc.tuple(
      nameArb.filter((n) => !n.includes("/")),
      endpointArb,
    ),
    { minLength: 1, maxLength: 4, selector: ([n]) => n },
  )
  .map((eps) => {
    const named: Obj = {};
    for (const [n, e] of eps) Object.defineProperty(named, "/" + n, { value: e, enumerable: true, writable: true, configurable: true });
    return { named_endpoints: named, unnamed_endpoints: {} };
  });

function snapshotOf(info: Obj): Snapshot {
  return {
    spacegen: SNAPSHOT_FORMAT,
    source: { space: null, url: "http://127.0.0.1:7860", name: "fuzz" },
    gradioVersion: "6.31.0",
    config: null,
    apiPrefix: "/gradio_api",
    info: trimInfo(info),
    notes: [],
  };
}

interface Expected {
  file: string;
  endpoints: { inputType: string; outputType: string; keys: string[]; arity: number }[];
}

describe(`property-based generation (${RUNS} cases, seed ${SEED})`, () => {
  const dir = mkdtempSync(join(tmpdir(), "spacegen-fuzz-"));
  const expected: Expected[] = [];
  const docs = new Map<string, Obj>();

  it("random documents generate, and the IR matches the document", async () => {
    const runtime = await loadRuntimeTemplate();
    // the runtime with its top-level declarations exported, for the API parts to import
    writeFileSync(
      join(dir, "rt.ts"),
      runtime.code.replace(/^(?!export )(declare |async function|function|const |let |class |interface |type |abstract )/gm, "export $1"),
    );
    const types = runtime.typeNames.filter((t) => !runtime.valueNames.includes(t));
    const runtimeImports = `import { ${runtime.valueNames.join(", ")} } from "./rt.js";\nimport type { ${types.join(", ")} } from "./rt.js";`;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(docArb, fc.boolean(), async (info, all) => {
        const generated = await generateModule(snapshotOf(info), { regenerate: "npx spacegen fuzz", allEndpoints: all });
        // "/." and "/.." are dot segments no URL can name: skipped with a warning (test/unit/dot-segments.test.ts)
        const named = Object.entries(info.named_endpoints as Record<string, Obj>).filter(
          ([k, e]) => (all || e.api_visibility === "public") && k !== "/." && k !== "/..",
        );
        expect(generated.ir.endpoints.map((e) => e.apiName)).toEqual(named.map(([k]) => k));
        generated.ir.endpoints.forEach((e, i) => {
          const doc = named[i]![1] as { parameters: Obj[]; returns: Obj[] };
          expect(e.params.map((p) => p.key)).toEqual(doc.parameters.map((p) => p.parameter_name));
          expect(e.returns.length).toBe(doc.returns.length);
          expect(e.inputSlots.length).toBe(doc.parameters.length);
        });
        const file = join(dir, `m${n}.ts`);
        // the runtime: the template's declarations, byte for byte, those the module does not use left out
        const head = generated.code.slice(0, generated.code.search(/^(const \$app|\/\*\* The app these bindings)/m));
        const kept = runtime.declarations.filter((d) => head.includes(d.text)).map((d) => d.text);
        expect(kept.length).toBeGreaterThan(20);
        expect(head.endsWith(kept.join("").trimStart() + "\n\n")).toBe(true);
        const api = generated.code.slice(head.length);
        // an endpoint value named like a runtime type ("/FileData") merges with it: such modules are checked whole
        const merges = [...api.matchAll(/^export const ([\p{ID_Start}$_][\p{ID_Continue}$]*)/gmu)].some((m) => runtime.typeNames.includes(m[1]!));
        writeFileSync(file, n < WHOLE || merges ? generated.code : `${runtimeImports}\n${api}`);
        n++;
        docs.set(file, info);
        expected.push({
          file,
          endpoints: generated.ir.endpoints.map((e, i) => ({
            inputType: e.inputType,
            outputType: e.outputType,
            keys: (named[i]![1].parameters as Obj[]).map((p) => p.parameter_name as string),
            arity: (named[i]![1].returns as Obj[]).length,
          })),
        });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(expected.length).toBe(RUNS);
  }, 600_000);

  it("every module compiles under both strict configurations, and its types have the document's keys and arity", () => {
    const failures: string[] = [];
    let checked = 0;
    for (const config of ["dom", "node"] as const) {
      // skipLibCheck: the lib .d.ts files are the same for every batch; the modules themselves are checked in full
      const program = ts.createProgram([join(dir, "rt.ts"), ...expected.map((e) => e.file)], { ...STRICT_CONFIGS[config], skipLibCheck: true });
      for (const d of ts.getPreEmitDiagnostics(program)) {
        const where = d.file?.fileName ?? "";
        failures.push(
          `${config} ${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")} (document: ${JSON.stringify(docs.get(where) ?? null)?.slice(0, 2000)})`,
        );
      }
      if (config !== "dom") continue;
      const checker = program.getTypeChecker();
      for (const module of expected) {
        const source = program.getSourceFile(module.file)!;
        const declared = new Map<string, ts.Node>();
        source.forEachChild((node) => {
          if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name) declared.set(node.name.text, node);
        });
        for (const e of module.endpoints) {
          const input = declared.get(e.inputType);
          const output = declared.get(e.outputType);
          if (!input || !output) {
            failures.push(`${module.file}: no ${e.inputType}/${e.outputType}`);
            continue;
          }
          const inputType = checker.getTypeAtLocation((input as ts.InterfaceDeclaration | ts.TypeAliasDeclaration).name);
          const keys = checker.getPropertiesOfType(inputType).map((p) => p.getName());
          if (JSON.stringify([...keys].sort()) !== JSON.stringify([...e.keys].sort()))
            failures.push(`${module.file} ${e.inputType} keys ${JSON.stringify(keys)} != ${JSON.stringify(e.keys)}`);
          const node = (output as ts.TypeAliasDeclaration).type;
          const arity =
            node.kind === ts.SyntaxKind.UndefinedKeyword
              ? 0
              : ts.isTupleTypeNode(node) && node.elements.every(ts.isNamedTupleMember)
                ? node.elements.length
                : 1;
          if (arity !== e.arity) failures.push(`${module.file} ${e.outputType} arity ${arity} != ${e.arity}`);
          checked++;
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(RUNS);
  }, 600_000);
});
