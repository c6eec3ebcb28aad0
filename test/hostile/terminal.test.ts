// Issue 13, point 13: control characters from a document (ESC/OSC sequences, C0/C1, DEL, bidi overrides,
// LRM/RLM, line separators, newlines that forge lines) never reach the terminal raw: warnings, errors,
// `inspect` (text, --json, --tools), `--check` summaries and diffs all go through one sink (terminal.ts)
// that writes them visibly as \uXXXX. `--format markdown` puts what it quotes in code spans (no mention,
// link, HTML, issue reference or table break). Emitted comments carry no forged JSDoc tag or link and no
// bidi control, and neither does any string in the module.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { markdownCode, markdownText, style, terminalLine } from "../../src/shared/terminal.ts";
import { runCli } from "../support/cli.ts";

/** Everything that must never reach a terminal raw (tab and newline are the output's own). */
// eslint-disable-next-line no-control-regex -- control characters are what this test looks for
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FORGED = "spacegen: error: forged";
const NASTY = [
  "\u001b]0;pwned title\u0007",
  "\u001b[2J\u001b[H",
  "\u001b]52;c;cHduZWQ=\u0007", // OSC 52: write the clipboard
  "\u009b31m", // C1 CSI
  "del\u007f",
  "rtl\u202eevil\u202c",
  "iso\u2066late\u2069 lrm\u200e rlm\u200f alm\u061c",
  "ls\u2028ps\u2029",
  `x\n${FORGED}`,
  "tab\there\rcr",
];
const hostile = NASTY.join(" ");

const param = (name: string, extra: Record<string, unknown> = {}) => ({
  label: `${name} ${hostile}`,
  parameter_name: name,
  parameter_has_default: true,
  parameter_default: hostile,
  type: { type: "string", enum: [hostile, "ok"], description: hostile },
  python_type: { type: "str", description: hostile },
  component: `Textbox ${hostile}`,
  ...extra,
});
function doc(variant: number) {
  const named: Record<string, unknown> = {
    [`/${hostile}`]: {
      parameters: [param(`k ${hostile}`)],
      returns: [{ label: hostile, type: { type: "string" }, component: hostile }],
      api_visibility: "public",
      description: hostile,
    },
    "/plain": {
      parameters: [
        param(variant === 0 ? "a" : `a ${hostile}`, { parameter_default: variant === 0 ? "x" : hostile }),
        param("b", { type: { enum: variant === 0 ? [hostile, "b"] : ["b"] } }),
      ],
      returns: [{ label: "out", type: { type: "string" }, component: "Textbox" }],
      api_visibility: "public",
      description: variant === 0 ? "plain" : hostile,
    },
    // skipped with a warning that quotes the name
    [`/a/${hostile}`]: { parameters: [], returns: [], api_visibility: "public", description: "" },
  };
  if (variant === 1) named[`/new ${hostile}`] = { parameters: [], returns: [], api_visibility: "public", description: "" };
  return { named_endpoints: named };
}

const tmp = () => mkdtempSync(join(tmpdir(), "spacegen-terminal-"));
function setup(): string {
  const dir = tmp();
  writeFileSync(join(dir, "a.json"), JSON.stringify(doc(0)));
  writeFileSync(join(dir, "b.json"), JSON.stringify(doc(1)));
  return dir;
}

function expectClean(out: string) {
  expect(out).not.toMatch(RAW);
  for (const line of out.split("\n")) expect(line.startsWith(FORGED)).toBe(false);
}

describe("the terminal never gets a document's control characters", () => {
  it("generation: warnings and the summary line", async () => {
    const dir = setup();
    const r = await runCli(["a.json", "-o", "m.ts"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\\u001b\]0;pwned title\\u0007/); // the name is shown, escaped
    expectClean(r.stdout + r.stderr);
  });

  it("inspect as text, --json and --tools (the JSON still parses to the document's strings)", async () => {
    const dir = setup();
    const text = await runCli(["inspect", "a.json"], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("\\u202e");
    expectClean(text.stdout + text.stderr);
    for (const flag of ["--json", "--tools"]) {
      const r = await runCli(["inspect", "a.json", flag], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expectClean(r.stdout + r.stderr);
      expect(JSON.stringify(JSON.parse(r.stdout))).toContain(JSON.stringify(hostile).slice(1, -1));
    }
  });

  it("--check: the diff, the per-endpoint summary and the totals", async () => {
    const dir = setup();
    expect((await runCli(["a.json", "-o", "m.ts"], { cwd: dir })).code).toBe(0);
    const r = await runCli(["b.json", "-o", "m.ts", "--check"], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^ {2}breaking /m);
    expectClean(r.stdout + r.stderr);
  });

  it("errors: a refused document's message", async () => {
    const dir = tmp();
    const snapshot = {
      spacegen: 1,
      source: { space: null, url: "http://127.0.0.1:7860", name: "app" },
      gradioVersion: null,
      config: null,
      apiPrefix: `/x${hostile}`,
      info: doc(0),
      notes: [],
    };
    writeFileSync(join(dir, "s.json"), JSON.stringify(snapshot));
    for (const debug of ["", "1"]) {
      const r = await runCli(["s.json", "-o", "m.ts"], { cwd: dir, env: { SPACEGEN_DEBUG: debug } });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expectClean(r.stdout + r.stderr);
    }
  });

  it("the sink keeps spacegen's own colours and escapes everything else", () => {
    expect(terminalLine(`${style("31", "red")} \u001b[2J \u009b`)).toBe("\u001b[31mred\u001b[0m \\u001b[2J \\u009b");
    expect(terminalLine("tab\tand\nnewline kept")).toBe("tab\tand\nnewline kept");
    // a document cannot forge a style mark: the nonce is per process
    expect(terminalLine("\u0000abc31\u0001")).toBe("\\u0000abc31\\u0001");
  });
});

/** The text of a Markdown document outside code spans and fenced blocks (what GitHub would render). */
function rendered(markdown: string): string {
  const withoutFences = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, "");
  let out = "";
  for (let i = 0; i < withoutFences.length;) {
    const run = /^`+/.exec(withoutFences.slice(i))?.[0];
    if (!run) {
      out += withoutFences[i++];
      continue;
    }
    const close = withoutFences.indexOf(run, i + run.length);
    if (close < 0) {
      out += run;
      i += run.length;
      continue;
    }
    i = close + run.length;
    out += "CODE";
  }
  return out;
}

describe("--format markdown escapes what it quotes", () => {
  const names = [
    "@octocat",
    "[click](https://evil.example/x)",
    "<img src=x onerror=alert(1)>",
    "a|b",
    "#123",
    "see `code` and ``more``",
    "www.evil.example",
    "*bold* _it_",
  ];
  function mdDoc(variant: number) {
    const named: Record<string, unknown> = {};
    for (const [i, n] of names.entries())
      named[`/${n}`] = {
        parameters: [param(`p ${n}`, { parameter_default: variant === 0 ? `d ${n}` : `e ${n}`, type: { type: "string" } })],
        returns: [{ label: n, type: { type: "string" } }],
        api_visibility: "public",
        description: `${i}`,
      };
    if (variant === 1) named["/@newbie [x](https://evil.example) <b>"] = { parameters: [], returns: [], api_visibility: "public", description: "" };
    return { named_endpoints: named };
  }

  it("no raw mention, link, HTML, issue reference or table break from endpoint names, keys or values", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "a.json"), JSON.stringify(mdDoc(0)));
    writeFileSync(join(dir, "b.json"), JSON.stringify(mdDoc(1)));
    expect((await runCli(["a.json", "-o", "m.ts"], { cwd: dir })).code).toBe(0);
    const r = await runCli(["b.json", "-o", "m.ts", "--check", "--format", "markdown"], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\| Change \| Endpoint \| Details \|/);
    const text = rendered(r.stdout);
    for (const bad of ["@octocat", "@newbie", "](https://", "<img", "<b>", "#123", "www.evil", "*bold*"]) expect(text).not.toContain(bad);
    for (const row of r.stdout.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Change"))) {
      // exactly four cell borders once escaped pipes are set aside
      expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(5);
    }
    expectClean(r.stdout);
  });

  it("markdownCode and markdownText", () => {
    expect(markdownCode("a`b``c")).toBe("```a`b``c```");
    expect(markdownCode("`x`")).toBe("`` `x` ``");
    expect(markdownCode("a|b", true)).toBe("`a\\|b`");
    expect(markdownText('parameter `k` is now optional (default "@me")')).toBe('parameter `k` is now optional (default `"@me")`');
    expect(markdownText("line\nbreak")).toBe("`line\\u000abreak`");
  });
});

describe("emitted comments and strings", () => {
  it("carry no forged JSDoc tag or link, and no raw bidi control", async () => {
    const dir = tmp();
    const forged = "x @deprecated use evil instead {@link https://evil.example click} @see https://evil.example\n@param forged x";
    const d = {
      named_endpoints: {
        "/tags": {
          parameters: [
            param("obj", {
              label: forged,
              type: { type: "object", description: forged, properties: { inner: { type: "string", description: forged } } },
              python_type: { type: "dict", description: forged },
            }),
          ],
          returns: [{ label: forged, type: { type: "string", description: forged }, component: forged }],
          api_visibility: "public",
          description: `${forged} \u202e bidi \u2066 */ /*`,
        },
      },
    };
    writeFileSync(join(dir, "a.json"), JSON.stringify(d));
    const r = await runCli(["a.json", "-o", "m.ts"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const code = readFileSync(join(dir, "m.ts"), "utf8");
    expect(code).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    const file = ts.createSourceFile("m.ts", code, ts.ScriptTarget.ES2022, true);
    const tags: string[] = [];
    const links: string[] = [];
    const visit = (node: ts.Node) => {
      for (const doc of ts.getJSDocCommentsAndTags(node)) {
        if (!ts.isJSDoc(doc)) continue;
        for (const tag of doc.tags ?? []) tags.push(tag.getText(file));
        for (const part of typeof doc.comment === "string" || !doc.comment ? [] : doc.comment)
          if (part.kind !== ts.SyntaxKind.JSDocText) links.push(part.getText(file));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    expect(links.filter((l) => l.includes("evil"))).toEqual([]);
    // spacegen's own tags (@default, @example) may quote the document; none may be one it wrote
    expect(tags.filter((t) => /^@(deprecated|see|param|link)/.test(t) || (/forged|evil/.test(t) && !/^@(default|example) /.test(t)))).toEqual([]);
    expect(code).toContain("\\@deprecated use evil instead");
  });
});
