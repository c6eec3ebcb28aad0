// The package works as users get it: npm pack, install the tarball into an empty folder,
// and `npx spacegen <snapshot>` writes a module there.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, sharedFixtures } from "../support/paths.ts";

describe("packed package", () => {
  it("installs from its tarball and generates a module with npx", () => {
    const work = mkdtempSync(join(tmpdir(), "spacegen-pack-"));
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: repoRoot, encoding: "utf8" }).trim().split("\n").pop()!;
    const app = join(work, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, packed)], { cwd: app, stdio: "pipe" });
    const info = resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json");
    const out = execFileSync("npx", ["--no-install", "spacegen", info, "-o", "bindings/calc.ts"], { cwd: app, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/wrote bindings\/calc\.ts \(1 endpoint\)/);
    expect(existsSync(join(app, "bindings/calc.schema.json"))).toBe(true);
    const code = readFileSync(join(app, "bindings/calc.ts"), "utf8");
    expect(code).toMatch(/export const predict: Endpoint<PredictInput, PredictOutput>/);
    // The tarball carries what the CLI needs at run time and not the tests.
    const files = execFileSync("tar", ["-tzf", join(work, packed)], { encoding: "utf8" });
    expect(files).toMatch(/package\/templates\/runtime\.ts/);
    expect(files).toMatch(/package\/dist\/cli\.js/);
    expect(files).not.toMatch(/package\/test\//);
  }, 240_000);
});
