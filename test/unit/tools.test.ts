// Agent tools: descriptors are valid JSON Schema, accept what the typed API accepts, and
// callTool rejects bad arguments with messages an LLM can act on before any request is made.

import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import { loadFromFile } from "../../src/load/load.ts";
import { toolsOf } from "../../src/emit/tools.ts";
import { repoRoot, sharedFixtures } from "../support/paths.ts";

const accepted = [
  ...readdirSync(resolve(sharedFixtures, "third-party-info"))
    .filter((f) => !/jsclient|serializer|clientv0\.1/.test(f))
    .map((f) => resolve(sharedFixtures, "third-party-info", f)),
  ...readdirSync(resolve(sharedFixtures, "protocol"))
    .filter((f) => f.startsWith("info-"))
    .map((f) => resolve(sharedFixtures, "protocol", f)),
];

describe("tool descriptors of every shared fixture", () => {
  let validatedWithExamples = 0;
  it.each(accepted.map((p) => [p.split("/").pop()!, p]))("%s: schemas compile with ajv and accept the examples", async (_name, path) => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const snapshot = await loadFromFile(path);
    const { ir } = await generateModule(snapshot, { regenerate: "x" });
    const tools = toolsOf(ir);
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      const validate = ajv.compile(tool.inputSchema);
      // Arguments built from each parameter's example_input, as an agent would send them
      // ("..." is gr.api's placeholder for "no example").
      const usable = (p: (typeof tool.endpoint.params)[number]) => p.hasExample && p.example !== null && p.example !== "...";
      const args: Record<string, unknown> = {};
      for (const p of tool.endpoint.params) if (usable(p)) args[p.key] = p.example;
      const complete = tool.endpoint.params.every((p) => p.hasDefault || usable(p));
      if (complete) {
        expect(validate(args), `${tool.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
        validatedWithExamples++;
      }
      expect(validate({ ...args, not_a_parameter: 1 })).toBe(false);
    }
  });
  it("checked most tools with complete example arguments", () => {
    expect(validatedWithExamples).toBeGreaterThan(40);
  });
});

describe("callTool", () => {
  const dir = join(repoRoot, "test/unit/.tmp");
  type Module = {
    callTool: (name: string, args: unknown, options?: unknown) => Promise<unknown>;
    tools: { name: string; inputSchema: Record<string, unknown> }[];
  };
  let mod: Module;
  const requests: { url: string; body: string }[] = [];
  const fakeFetch = async (url: string | URL, init?: { body?: unknown }) => {
    requests.push({ url: String(url), body: typeof init?.body === "string" ? init.body : "" });
    if (String(url).endsWith("/call/predict")) return new Response('{"event_id":"e1"}');
    return new Response("event: complete\ndata: [8]\n\n", { headers: { "content-type": "text/event-stream" } });
  };

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    const snapshot = await loadFromFile(resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json"));
    const { code } = await generateModule(snapshot, { regenerate: "x" });
    writeFileSync(join(dir, "calculator.ts"), code);
    mod = (await import(join(dir, "calculator.ts"))) as Module;
  });

  it.each([
    [{ num1: 1, operation: "add" }, /predict: num2 is required/],
    [{ num1: 1, operation: "add", num2: 2, num3: 4 }, /predict: num3 is not a parameter \(expected num1, operation, num2\)/],
    [{ num1: 1, operation: "plus", num2: 2 }, /predict: operation must be one of "add", "subtract", "multiply", "divide" \(got "plus"\)/],
    [{ num1: "1", operation: "add", num2: 2 }, /predict: num1 must be of type number \(got string\)/],
    [[1, "add", 2], /the arguments must be a JSON object/],
  ])("rejects %j before any request", async (args, message) => {
    requests.length = 0;
    await expect(mod.callTool("predict", args, { fetch: fakeFetch })).rejects.toMatchObject({ kind: "validation", message });
    expect(requests).toHaveLength(0);
  });

  it("rejects an unknown tool, naming the tools there are", async () => {
    await expect(mod.callTool("predikt", {})).rejects.toMatchObject({ kind: "validation", message: /unknown tool "predikt"; tools: predict/ });
  });

  it("dispatches valid arguments to the endpoint in wire order", async () => {
    requests.length = 0;
    await expect(mod.callTool("predict", { operation: "multiply", num2: 4, num1: 2 }, { fetch: fakeFetch })).resolves.toBe(8);
    expect(JSON.parse(requests[0]!.body)).toEqual({ data: [2, "multiply", 4] });
  });
});

describe("spacegen inspect --tools", () => {
  it("prints the descriptors the module exports, as JSON", async () => {
    const { runCli } = await import("../support/cli.ts");
    const r = await runCli(["inspect", "--tools", resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json")]);
    expect(r.code).toBe(0);
    const tools = JSON.parse(r.stdout) as { name: string; endpoint: string; inputSchema: { required: string[] } }[];
    expect(tools.map((t) => [t.name, t.endpoint])).toEqual([["predict", "/predict"]]);
    expect(tools[0]!.inputSchema.required).toEqual(["num1", "operation", "num2"]);
  });
});
