// inspect's model: the types it shows are the texts emit declared (Generated.types) as the formatted module
// prints them, without reading the module back (issue 17 point 4).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectModel } from "../../src/cli/inspect.ts";
import { generateModule } from "../../src/emit/generate.ts";
import { loadFromFile } from "../../src/load/load.ts";
import { tmp } from "../drift/support.ts";

const param = (name: string, type: object, extra: object = {}) => ({
  label: name,
  parameter_name: name,
  parameter_has_default: false,
  parameter_default: null,
  type,
  python_type: { type: "str", description: "" },
  component: "Textbox",
  ...extra,
});
const SIZES = ["a small one that is quite long", "a medium one that is longer still", "a large one, the longest of them all"];

async function model() {
  const path = join(tmp(), "info.json");
  const endpoint = {
    parameters: [
      // a key with a colon in it, which prettier prints with single quotes ('say: "hi"'), one character shorter than emitted
      param('say: "hi"', { type: "string" }),
      // too long for its member's line: the module prints it over several lines, starting with `|`
      param("size", { type: "string", enum: SIZES }, { parameter_has_default: true, parameter_default: SIZES[0], component: "Radio" }),
    ],
    returns: [
      { label: "first", type: { type: "number" }, python_type: { type: "float", description: "" }, component: "Number" },
      { label: "second", type: { type: "string" }, python_type: { type: "str", description: "" }, component: "Textbox" },
    ],
  };
  writeFileSync(path, JSON.stringify({ named_endpoints: { "/shout": endpoint }, unnamed_endpoints: {} }));
  const generated = await generateModule(await loadFromFile(path, { url: "http://app.test" }), { regenerate: "x" });
  return { generated, model: await inspectModel(generated) };
}

describe("inspect's model", () => {
  it("has each type as the module prints it, from the types emit handed forward", async () => {
    const { generated, model: m } = await model();
    const union = SIZES.map((s) => JSON.stringify(s)).join(" | ");
    // the module itself, as a reader sees it
    expect(generated.code).toContain(`  'say: "hi"': string;`);
    expect(generated.code).toContain(`  size?:\n    | ${SIZES.map((s) => JSON.stringify(s)).join("\n    | ")};`);
    const [e] = m.endpoints;
    expect(e!.params.map((p) => [p.key, p.type, p.optional])).toEqual([
      ['say: "hi"', "string", false],
      ["size", `| ${union}`, true],
    ]);
    expect(e!.outputType).toBe("[first: OutputValue<number>, second: OutputValue<string>]");
    expect(e!.returns.map((r) => r.type)).toEqual(["OutputValue<number>", "OutputValue<string>"]);
    expect(e!.signature).toBe("shout(input: ShoutInput, options?: CallOptions): Promise<ShoutOutput>");
  });
});
