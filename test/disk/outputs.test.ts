// Issue 13, points 14 and 15: where outputs may go, and what happens when the user's disk says no.
// - Two jobs that would write one file (or two names that differ only in case), an output over a source (a raw /info is never replaced by a
//   snapshot), or a config output outside the config's folder (symbolic links included): refused before
//   anything is written.
// - A full disk, a read-only folder, a failed rename, an output that is a folder, a name too long, a NUL byte: one line that
//   names the path and the cause, exit 2, never "internal error"; every file already on disk is unchanged.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../support/cli.ts";
import { repoRoot, sharedFixtures } from "../support/paths.ts";
import { tmp } from "../drift/support.ts";

const calculator = resolve(sharedFixtures, "protocol/info-03-gradio6-calculator-head.json");
const info = readFileSync(calculator, "utf8");
const faultFs = resolve(repoRoot, "test/disk/fault-fs.mjs");
const URL_FLAGS = ["--url", "http://app.test"];

/** Every file under `dir`, with its bytes, to compare before and after. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    try {
      out[name] = readFileSync(path, "base64");
    } catch {
      out[name] = "(folder)";
    }
  }
  return out;
}

/** One error line, exit 2, no stack, no "internal error". */
function expectOneLine(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const errors = r.stderr.split("\n").filter((l) => l.startsWith("spacegen: error:"));
  expect(errors.length, r.stderr).toBeGreaterThan(0);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|please report|\n\s+at /);
}

describe("two jobs on one file, a source overwritten, a config output outside its folder: nothing is written", () => {
  const config = (dir: string, spaces: unknown[], extra: Record<string, unknown> = {}) =>
    writeFileSync(join(dir, "spacegen.config.json"), JSON.stringify({ ...extra, spaces }));

  it("config duplicates", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "calc.json"), info);
    config(dir, ["./calc.json", { source: "./calc.json", url: "http://app.test" }]);
    const r = await runCli([], { cwd: dir });
    expectOneLine(
      r,
      /^spacegen: error: spacegen\.config\.json spaces\[0\] \(calc\.json\) and spacegen\.config\.json spaces\[1\] \(calc\.json\) would both write generated\/calc\.schema\.json;/m,
    );
    expect(r.stderr).toMatch(/^spacegen: error: nothing was written/m);
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });
  it("a .ts and a .js of one name (they share the snapshot)", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "a.json"), info);
    writeFileSync(join(dir, "b.json"), info);
    config(dir, [
      { source: "./a.json", out: "lib/x.ts" },
      { source: "./b.json", out: "lib/x.js" },
    ]);
    expectOneLine(await runCli([], { cwd: dir }), /would both write lib\/x\.schema\.json/);
    expect(existsSync(join(dir, "lib"))).toBe(false);
  });
  it("two sources with the same derived name", async () => {
    const dir = tmp();
    for (const sub of ["a", "b"]) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, "info.json"), info);
    }
    const r = await runCli(["a/info.json", "b/info.json", ...URL_FLAGS], { cwd: dir });
    expectOneLine(r, /^spacegen: error: a\/info\.json and b\/info\.json would both write generated\/info\.schema\.json/m);
    expect(r.stderr).toMatch(/would both write generated\/info\.ts/);
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });
  it("two outputs whose names differ only in case (one file on macOS and Windows)", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "a.json"), info);
    writeFileSync(join(dir, "b.json"), info);
    config(dir, [
      { source: "./a.json", url: "http://app.test", name: "Chat" },
      { source: "./b.json", url: "http://app.test", name: "chat" },
    ]);
    const r = await runCli([], { cwd: dir });
    expectOneLine(r, /would write generated\/Chat\.schema\.json and generated\/chat\.schema\.json, one file where names ignore case/);
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });
  it("a raw /info named like a snapshot is never overwritten by its snapshot", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "generated"));
    writeFileSync(join(dir, "generated/calc.schema.json"), info);
    writeFileSync(join(dir, "calc.schema.json"), info);
    const before = tree(dir);
    // its module name is "calc": the default output puts the snapshot on the source itself
    expectOneLine(
      await runCli(["generated/calc.schema.json", ...URL_FLAGS], { cwd: dir }),
      /its snapshot would overwrite generated\/calc\.schema\.json, its source \(a raw \/info, which a snapshot never replaces\)/,
    );
    expectOneLine(
      await runCli(["calc.schema.json", "-o", "calc.ts", ...URL_FLAGS], { cwd: dir }),
      /its snapshot would overwrite calc\.schema\.json, its source/,
    );
    expectOneLine(
      await runCli(["calc.schema.json", "-o", "m.ts", "--snapshot", "calc.schema.json", ...URL_FLAGS], { cwd: dir }),
      /its snapshot would overwrite calc\.schema\.json/,
    );
    expect(tree(dir)).toEqual(before);
    // elsewhere, it generates
    expect((await runCli(["calc.schema.json", "-o", "out/calc.ts", ...URL_FLAGS], { cwd: dir })).code).toBe(0);
  });
  it("a snapshot is still regenerated in place", async () => {
    const dir = tmp();
    expect((await runCli([calculator, "-o", "m.ts", ...URL_FLAGS], { cwd: dir })).code).toBe(0);
    const r = await runCli(["m.schema.json", "-o", "m.ts"], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
  });
  it("an output over another job's source", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "a.json"), info);
    // the second entry's snapshot (src.schema.json, from its name) is the first entry's source
    writeFileSync(join(dir, "src.schema.json"), info);
    config(dir, [
      { source: "./src.schema.json", out: "one.ts", url: "http://app.test" },
      { source: "./a.json", name: "src", out: ".", url: "http://app.test" },
    ]);
    const before = tree(dir);
    expectOneLine(await runCli([], { cwd: dir }), /its snapshot would overwrite src\.schema\.json, the source of spacegen\.config\.json spaces\[0\]/);
    expect(tree(dir)).toEqual(before);
  });
  it.each([
    ["a folder above", { out: "../outside" }, /its snapshot \/\S+\/outside\/calc\.schema\.json is outside \/\S+\/project, the config file's folder/],
    ["an absolute path elsewhere", { out: "ABS" }, /its module \/\S+\/elsewhere\/calc\.ts is outside \/\S+\/project, the config file's folder/],
    ["a symbolic link to elsewhere", { out: "link" }, /its module link\/calc\.ts is through a symbolic link outside/],
    [
      "an entry's out through a link",
      { spaces: [{ source: "./calc.json", out: "link/calc.ts" }] },
      /its module .*link\/calc\.ts is through a symbolic link outside/,
    ],
  ])("a config output in %s is refused", async (_what, settings, message) => {
    const root = tmp();
    const project = join(root, "project");
    const elsewhere = join(root, "elsewhere");
    mkdirSync(project);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(project, "link"));
    writeFileSync(join(project, "calc.json"), info);
    const { spaces, ...rest } = settings as { spaces?: unknown[]; out?: string };
    const extra = rest.out === "ABS" ? { out: elsewhere } : rest;
    config(project, spaces ?? [{ source: "./calc.json", url: "http://app.test" }], extra);
    const r = await runCli([], { cwd: project });
    expectOneLine(r, message);
    expect(tree(elsewhere)).toEqual({});
    expect(existsSync(join(root, "outside"))).toBe(false);
    expect(readdirSync(project).sort()).toEqual(["calc.json", "link", "spacegen.config.json"]);
  });
  it("a config output inside its folder through a link that stays inside is fine", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "real"));
    symlinkSync(join(dir, "real"), join(dir, "alias"));
    writeFileSync(join(dir, "calc.json"), info);
    config(dir, [{ source: "./calc.json", url: "http://app.test", out: "alias/calc.ts" }]);
    const r = await runCli([], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/);
    expect(readdirSync(join(dir, "real")).sort()).toEqual(["calc.schema.json", "calc.ts"]);
  });
});

describe("the user's environment fails: one line naming the path and the cause, and nothing on disk is lost", () => {
  /** A folder with an old module and snapshot in it. */
  function withOldOutputs(): string {
    const dir = tmp();
    mkdirSync(join(dir, "out"));
    writeFileSync(join(dir, "out/m.ts"), "// old module\n");
    writeFileSync(join(dir, "out/m.schema.json"), '{"old": true}\n');
    return dir;
  }

  it("a full disk while writing the module (injected ENOSPC): the snapshot is not replaced either", async () => {
    const dir = withOldOutputs();
    const before = tree(dir);
    const r = await runCli([calculator, "-o", "out/m.ts", ...URL_FLAGS], {
      cwd: dir,
      nodeArgs: ["--import", faultFs],
      env: { FAULT_CODE: "ENOSPC", FAULT_PATH: "m\\.ts\\.\\d+\\.[0-9a-f]+\\.tmp$" },
    });
    expectOneLine(r, /^spacegen: error: .*: cannot write out\/m\.ts: no space left on the device \(ENOSPC\)$/m);
    expect(tree(dir)).toEqual(before); // no temporary file left either
  });
  it("a rename that fails after another of the job's files was renamed (injected EACCES): that one is put back", async () => {
    for (const failing of ["m\\.ts$", "m\\.schema\\.json$"]) {
      const dir = withOldOutputs();
      const before = tree(dir);
      const r = await runCli([calculator, "-o", "out/m.ts", ...URL_FLAGS], {
        cwd: dir,
        nodeArgs: ["--import", faultFs],
        env: { FAULT_CODE: "EACCES", FAULT_RENAME: failing },
      });
      expectOneLine(r, /cannot write out\/m\.(ts|schema\.json): permission denied \(EACCES\)/);
      expect(tree(dir), failing).toEqual(before);
    }
  });
  it("the same where the job's files were new: the one renamed is removed again", async () => {
    const dir = tmp();
    const r = await runCli([calculator, "-o", "out/m.ts", ...URL_FLAGS], {
      cwd: dir,
      nodeArgs: ["--import", faultFs],
      env: { FAULT_CODE: "EACCES", FAULT_RENAME: "m\\.ts$" },
    });
    expectOneLine(r, /cannot write out\/m\.ts: permission denied \(EACCES\)/);
    expect(Object.keys(tree(join(dir, "out")))).toEqual([]);
  });
  it("a full disk writing to /dev/full", async () => {
    const r = await runCli([calculator, "-o", "/dev/full", ...URL_FLAGS], { cwd: tmp() });
    expectOneLine(r, /cannot write \/dev\/full: no space left on the device \(ENOSPC\)/);
  });

  const root = process.getuid?.() === 0;
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) execFileSync("umount", [m]);
  });
  /** A tmpfs of `size` with the old outputs in it (root only: a real file system that fills up or is read-only). */
  function tmpfs(size: string, readOnly: boolean): string | null {
    const dir = withOldOutputs();
    const mount = join(dir, "out");
    const files = tree(mount);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", mount], { stdio: "pipe" });
    } catch {
      return null;
    }
    mounts.push(mount);
    for (const [name, base64] of Object.entries(files)) writeFileSync(join(mount, name), Buffer.from(base64, "base64"));
    if (readOnly) execFileSync("mount", ["-o", "remount,ro", mount]);
    return dir;
  }
  it.runIf(root)("a really full disk (a 24 KB tmpfs)", async () => {
    const dir = tmpfs("24k", false);
    if (!dir) return expect.fail("mount -t tmpfs failed although running as root");
    const before = tree(dir);
    const r = await runCli([calculator, "-o", "out/m.ts", ...URL_FLAGS], { cwd: dir });
    expectOneLine(r, /cannot write out\/m\.(ts|schema\.json): no space left on the device \(ENOSPC\)/);
    expect(tree(dir)).toEqual(before);
  });
  it.runIf(root)("a read-only file system (a tmpfs remounted read-only)", async () => {
    const dir = tmpfs("1m", true);
    if (!dir) return expect.fail("mount -t tmpfs failed although running as root");
    const before = tree(dir);
    const r = await runCli([calculator, "-o", "out/m.ts", ...URL_FLAGS], { cwd: dir });
    expectOneLine(r, /cannot write out\/m\.schema\.json: the file system is read-only \(EROFS\)/);
    expect(tree(dir)).toEqual(before);
  });
  it("a read-only folder (injected EACCES; chmod does not stop root)", async () => {
    const dir = withOldOutputs();
    const before = tree(dir);
    const r = await runCli([calculator, "-o", "out/m.ts", ...URL_FLAGS], {
      cwd: dir,
      nodeArgs: ["--import", faultFs],
      env: { FAULT_CODE: "EACCES", FAULT_PATH: "\\.tmp$" },
    });
    expectOneLine(r, /cannot write out\/m\.schema\.json: permission denied \(EACCES\)/);
    expect(tree(dir)).toEqual(before);
  });
  it("an output that is a folder", async () => {
    const dir = withOldOutputs();
    mkdirSync(join(dir, "out/x.ts"));
    writeFileSync(join(dir, "out/x.schema.json"), "old\n");
    const before = tree(dir);
    expectOneLine(await runCli([calculator, "-o", "out/x.ts", ...URL_FLAGS], { cwd: dir }), /cannot write out\/x\.ts: it is a folder/);
    expect(tree(dir)).toEqual(before);
  });
  it("a folder in the path that is a file", async () => {
    const dir = withOldOutputs();
    expectOneLine(
      await runCli([calculator, "-o", "out/m.ts/deeper/x.ts", ...URL_FLAGS], { cwd: dir }),
      /cannot create the folder out\/m\.ts\/deeper: (a part of the path is a file, not a folder \(ENOTDIR\)|a file is where a folder is needed \(EEXIST\))/,
    );
  });
  it("a name too long for the file system", async () => {
    const dir = withOldOutputs();
    const before = tree(dir);
    const long = "n".repeat(300);
    expectOneLine(
      await runCli([calculator, "-o", `out/${long}.ts`, ...URL_FLAGS], { cwd: dir }),
      new RegExp(`cannot write out/${long}\\.schema\\.json: the name is too long for the file system \\(ENAMETOOLONG\\)`),
    );
    expect(tree(dir)).toEqual(before);
  });
  it("a name just under the limit still works (the temporary file's name fits too)", async () => {
    const dir = tmp();
    const name = "n".repeat(255 - ".schema.json".length);
    const r = await runCli([calculator, "-o", `${name}.ts`, ...URL_FLAGS], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/);
    expect(readdirSync(dir).sort()).toEqual([`${name}.schema.json`, `${name}.ts`]);
  });
  it.each([
    [{ out: "gen\u0000erated", spaces: ["./calc.json"] }, /spacegen\.config\.json: "out" contains a NUL byte/],
    [{ spaces: [{ source: "./calc.json", out: "a\u0000.ts" }] }, /spacegen\.config\.json: spaces\[0\]\.out contains a NUL byte/],
    [{ spaces: [{ source: "./calc\u0000.json" }] }, /spacegen\.config\.json: spaces\[0\]\.source contains a NUL byte/],
  ])("a NUL byte in a config path: %j", async (doc, message) => {
    const dir = tmp();
    writeFileSync(join(dir, "calc.json"), info);
    writeFileSync(join(dir, "spacegen.config.json"), JSON.stringify(doc));
    const r = await runCli([], { cwd: dir });
    expectOneLine(r, message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(["calc.json", "spacegen.config.json"]);
  });
  it("a config that is a folder", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "conf.json"));
    expectOneLine(await runCli(["--config", "conf.json"], { cwd: dir }), /^spacegen: error: cannot read conf\.json: it is a folder \(EISDIR\)$/m);
  });
  it("--check on a module path that is a folder", async () => {
    const dir = withOldOutputs();
    mkdirSync(join(dir, "out/x.ts"));
    expectOneLine(await runCli([calculator, "-o", "out/x.ts", "--check", ...URL_FLAGS], { cwd: dir }), /cannot (read|write) out\/x\.ts: it is a folder/);
  });
});
