// One error class across modules: an app that imports several generated modules catches one SpaceError.
// Each module carries its own copy of the class; `instanceof` holds across them through a brand
// (Symbol.for, so every copy finds the same symbol) read by Symbol.hasInstance.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../support/cli.ts";
import { repoRoot } from "../support/paths.ts";
import { startServer } from "./server.ts";

interface GeneratedModule {
  SpaceError: new (kind: string, message: string) => Error & { kind: string };
  ping: (input?: object, options?: object) => Promise<unknown>;
  add?: unknown;
  [name: string]: unknown;
}

let dir: string;
let basic: GeneratedModule;
let calculator: GeneratedModule;
let deadUrl: string;

async function generate(name: string): Promise<GeneratedModule> {
  const ts = join(dir, `${name}.ts`);
  const gen = await runCli([join(repoRoot, "generated", `${name}.schema.json`), "-o", ts, "-q"]);
  expect(gen.code, gen.stderr).toBe(0);
  const out = await build({ entryPoints: [ts], bundle: true, format: "esm", platform: "neutral", write: false });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, out.outputFiles[0]!.text);
  return (await import(pathToFileURL(file).href)) as GeneratedModule;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spacegen-brand-"));
  [basic, calculator] = await Promise.all([generate("basic"), generate("calculator")]);
  const dead = await startServer();
  deadUrl = dead.url;
  await dead.close();
});
afterAll(() => {});

describe("SpaceError across generated modules", () => {
  test("each module has its own class, and instanceof holds for an error from any of them", async () => {
    expect(basic.SpaceError).not.toBe(calculator.SpaceError);
    let caught: unknown;
    try {
      await basic.ping({}, { baseUrl: deadUrl });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(basic.SpaceError);
    expect(caught instanceof calculator.SpaceError).toBe(true);
    expect((caught as { kind: string }).kind).toBe("network");
    const made = new calculator.SpaceError("app", "x");
    expect(made instanceof basic.SpaceError).toBe(true);
    expect(made instanceof Error).toBe(true);
    expect(made.kind).toBe("app");
  });

  test("nothing else passes for a SpaceError", () => {
    for (const value of [new Error("x"), { kind: "app", message: "x", name: "SpaceError" }, null, undefined, "SpaceError", 1])
      expect(value instanceof basic.SpaceError).toBe(false);
  });
});
