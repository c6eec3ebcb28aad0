// Every raw /info and view_api() dictionary of the shared fixtures generates a module that compiles under both
// strict configurations of the contract; every @gradio/client view_api() and Gradio 3 document is refused with exit 2.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/emit/generate.ts";
import { loadFromFile } from "../../src/load/load.ts";
import { runCli } from "../support/cli.ts";
import { sharedFixtures } from "../support/paths.ts";
import { typeCheck } from "../support/strict.ts";

const documents = [
  ...readdirSync(resolve(sharedFixtures, "third-party-info")).map((f) => resolve(sharedFixtures, "third-party-info", f)),
  ...readdirSync(resolve(sharedFixtures, "protocol"))
    .filter((f) => f.startsWith("info-"))
    .map((f) => resolve(sharedFixtures, "protocol", f)),
];
const refused: Record<string, "js-client-view-api" | "gradio-3"> = {
  "Tharunk043_PersonaAI__image-to-video-jsclient-view_api.json": "js-client-view-api",
  "gradio-app_gradio__js-test-hello-world-jsclient-transformed.json": "js-client-view-api",
  "gradio-app_gradio__titanic-survival-gradio3-serializer.json": "gradio-3",
  "gradio-app_gradio__private-space-unnamed-fn-index-2-clientv0.1.json": "gradio-3",
};
const accepted = documents.filter((d) => !(d.split("/").pop()! in refused));

describe("shared fixtures", () => {
  const outDir = mkdtempSync(join(tmpdir(), "spacegen-fixtures-"));
  const written: string[] = [];

  it.each(accepted.map((d) => [d.split("/").pop()!, d]))("generates %s", async (name, path) => {
    const before = readFileSync(path);
    const snapshot = await loadFromFile(path);
    const snapshotCopy = JSON.stringify(snapshot);
    const first = await generateModule(snapshot, { regenerate: "npx spacegen x" });
    const second = await generateModule(snapshot, { regenerate: "npx spacegen x" });
    expect(second.code).toBe(first.code); // same input, same bytes
    expect(JSON.stringify(snapshot)).toBe(snapshotCopy); // the loaded document is not mutated
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(first.code).not.toMatch(/^\s*import\b|\brequire\s*\(|\bimport\s*\(/m);
    const file = join(outDir, name.replace(/\.json$/, ".ts"));
    writeFileSync(file, first.code);
    written.push(file);
    expect(first.ir.endpoints.length).toBeGreaterThan(0);
  });

  it("every generated module compiles under both strict configurations", () => {
    expect(written.length).toBe(accepted.length);
    expect([...typeCheck(written, "dom"), ...typeCheck(written, "node")]).toEqual([]);
  }, 120_000);

  it.each(Object.entries(refused))("refuses %s (kind %s) with exit 2 and a message naming the kind", async (file, kind) => {
    const result = await runCli([resolve(sharedFixtures, "third-party-info", file), "-o", join(outDir, "refused.ts")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain({ "js-client-view-api": "an @gradio/client view_api() result", "gradio-3": "a Gradio 3.x API description" }[kind]);
    expect(result.stderr).toMatch(/gradio_api\/info/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
