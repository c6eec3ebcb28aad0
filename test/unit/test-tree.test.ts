// The test tree keeps one Gradio launcher: test/support/gradio.mjs starts every app for tests, bench/ and
// scripts/, and it stays plain JavaScript, so bench/ and scripts/ import it without bundling test code.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.ts";

const LAUNCHER = "test/support/gradio.mjs";

/** Source files under a folder of the repository, skipping scratch and generated folders. */
function sources(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return [".tmp", ".generated", ".cache", "goldens", "evidence", "apps"].includes(entry.name) ? [] : sources(path);
    return /\.(ts|mts|mjs|js|sh)$/.test(entry.name) ? [path] : [];
  });
}

describe("one Gradio launcher", () => {
  it("no file but the launcher sets a Gradio server's port or runs a venv's python", () => {
    // Named exceptions, each with its reason.
    const allowed: Record<string, string> = {
      "test/e2e/harness.test.ts": "hands startApp a bad GRADIO_SERVER_PORT to see the crash reported",
      "scripts/setup-gradio.sh": "creates the venvs the launcher runs",
      "test/support/gradio.d.mts": "the launcher's types",
      "test/unit/test-tree.test.ts": "this test, which names what it looks for",
    };
    const starters = ["test", "scripts", "bench"]
      .flatMap(sources)
      .filter((file) => file !== LAUNCHER && !(file in allowed))
      .filter((file) => /GRADIO_SERVER_PORT|bin\/python|"bin", "python"/.test(readFileSync(join(repoRoot, file), "utf8")));
    expect(starters, `start apps with startApp from ${LAUNCHER}`).toEqual([]);
  });

  it("bench/ and scripts/ import the launcher and bundle no test code", () => {
    for (const file of ["bench/run.mjs", "scripts/capture-examples.mjs", "scripts/observe-all.mjs"]) {
      expect(readFileSync(join(repoRoot, file), "utf8"), file).toContain('from "../test/support/gradio.mjs"');
    }
    const bundlingTestCode = [...sources("bench"), ...sources("scripts")].flatMap((file) =>
      readFileSync(join(repoRoot, file), "utf8")
        .split("\n")
        .filter((line) => /\bbundle\(|entryPoints/.test(line) && /["'/]test["'/]/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(bundlingTestCode).toEqual([]);
  });

  it("plain Node imports it, no build step or TypeScript loader", () => {
    const url = pathToFileURL(join(repoRoot, LAUNCHER)).href;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `console.log(Object.keys(await import(${JSON.stringify(url)})).sort().join(" "))`], {
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("APPS_DIR REPO_ROOT gradioVersion hasGradio pidAlive startApp venvPython");
  });
});
