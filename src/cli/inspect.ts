// `spacegen inspect <source>`: what an app offers, as the generated module types it. Signatures are
// read back from the emitted module (so they are exactly what a caller sees); defaults, files and
// streaming come from the IR. `--json` prints the same model for machines.
//
// Hook for later renderers (e.g. `--tools`, tool definitions for LLM agents): they take the
// InspectModel built by `inspectModel()` and render it; nothing else in here needs to change.

import ts from "typescript";
import type { ApiIR } from "../normalize/ir.js";
import { previewJson } from "../emit/literal.js";
import { inlineLine, style as styled } from "../shared/terminal.js";

export interface InspectParam {
  key: string;
  type: string;
  optional: boolean;
  /** the schema default, when the parameter has one (sent when omitted) */
  default?: unknown;
  label: string;
  component: string;
  description: string;
  files: boolean;
}

export interface InspectEndpoint {
  apiName: string;
  functionName: string;
  description: string;
  visibility: "public" | "undocumented";
  /** null when unknown (generated without /config) */
  streaming: boolean | null;
  signature: string;
  inputType: string;
  outputType: string;
  params: InspectParam[];
  returns: { label: string; component: string; type: string; files: boolean }[];
  files: { input: boolean; output: boolean };
}

export interface InspectModel {
  space: { id: string | null; url: string; apiPrefix: string; gradioVersion: string | null; schemaHash: string };
  endpoints: InspectEndpoint[];
  warnings: string[];
}

const squash = (s: string) =>
  s
    .replace(/\s+/g, " ")
    .replace(/\s*;\s*}/g, " }")
    .replace(/\{ /g, "{ ")
    .trim();

/** Reads the Input members and Output type of every endpoint out of the emitted module. */
function declaredTypes(code: string): { inputs: Map<string, Map<string, { type: string; optional: boolean }>>; aliases: Map<string, string> } {
  const file = ts.createSourceFile("module.ts", code, ts.ScriptTarget.ES2022, true);
  const inputs = new Map<string, Map<string, { type: string; optional: boolean }>>();
  const aliases = new Map<string, string>();
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      const members = new Map<string, { type: string; optional: boolean }>();
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const name = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(file);
        members.set(name, { type: squash(member.type.getText(file)), optional: member.questionToken !== undefined });
      }
      inputs.set(statement.name.text, members);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      aliases.set(statement.name.text, squash(statement.type.getText(file)));
    }
  }
  return { inputs, aliases };
}

export function inspectModel(ir: ApiIR, code: string): InspectModel {
  const { inputs, aliases } = declaredTypes(code);
  const endpoints = ir.endpoints.map((e): InspectEndpoint => {
    const members = inputs.get(e.inputType) ?? new Map();
    const outputType = aliases.get(e.outputType) ?? "unknown";
    const params = e.params.map((p): InspectParam => {
      const declared = members.get(p.key);
      return {
        key: p.key,
        type: declared?.type ?? "unknown",
        optional: declared?.optional ?? p.hasDefault,
        ...(p.hasDefault ? { default: p.default } : {}),
        label: p.label,
        component: p.component,
        description: p.description,
        files: p.files !== null,
      };
    });
    const returns = e.returns.map((r, i) => {
      const tuple = e.returns.length > 1 ? tupleElements(outputType)[i] : outputType;
      return { label: r.label, component: r.component, type: tuple ?? "unknown", files: r.files !== null };
    });
    const input = e.params.length === 0 ? "" : `input: ${e.inputType}, `;
    return {
      apiName: e.apiName,
      functionName: e.functionName,
      description: e.description,
      visibility: e.visibility,
      streaming: e.generator,
      signature: `${e.functionName}(${input}options?: CallOptions): Promise<${e.outputType}>`,
      inputType: params.length === 0 ? "{}" : `{ ${params.map((p) => `${propertyText(p.key)}${p.optional ? "?" : ""}: ${p.type}`).join("; ")} }`,
      outputType,
      params,
      returns,
      files: { input: e.params.some((p) => p.files !== null), output: e.returns.some((r) => r.files !== null) },
    };
  });
  return { space: { ...ir.space }, endpoints, warnings: [...ir.warnings] };
}

const propertyText = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

/** `[a: string, b: number]` → ["string", "number"] (top-level commas only). */
function tupleElements(type: string): string[] {
  if (!type.startsWith("[") || !type.endsWith("]")) return [];
  const inner = type.slice(1, -1);
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (quote) {
      if (ch === "\\") current += ch + (inner[++i] ?? "");
      else {
        if (ch === quote) quote = null;
        current += ch;
      }
      continue;
    }
    if (ch === '"' || ch === "'" || ch === "`") quote = ch;
    else if ("([{<".includes(ch)) depth++;
    else if (")]}>".includes(ch) && !(ch === ">" && inner[i - 1] === "=")) depth--;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts.map((p) => p.replace(/^[A-Za-z_$][\w$]*\??:\s*/, ""));
}

export interface TextStyle {
  color: boolean;
}

/** The model as text for a terminal. */
export function renderInspect(model: InspectModel, style: TextStyle): string {
  // Colours as style marks, which only the CLI's output sink turns into escape sequences (terminal.ts).
  const paint = (s: string, c: string) => (style.color ? styled(c, s) : s);
  const bold = (s: string) => paint(s, "1");
  const dim = (s: string) => paint(s, "2");
  const { space } = model;
  const lines: string[] = [
    `${bold(space.id ?? space.url)}${space.id ? ` (${space.url})` : ""}`,
    dim(
      `Gradio ${space.gradioVersion ?? "unknown"} · API prefix ${JSON.stringify(space.apiPrefix)} · schema ${space.schemaHash} · ${model.endpoints.length} endpoint${model.endpoints.length === 1 ? "" : "s"}`,
    ),
  ];
  for (const e of model.endpoints) {
    lines.push("");
    const tags = [
      e.streaming === true ? "streams" : e.streaming === null ? "streaming unknown" : "",
      e.files.input ? "files in" : "",
      e.files.output ? "files out" : "",
      e.visibility === "undocumented" ? "undocumented" : "",
    ].filter(Boolean);
    lines.push(`${paint(e.apiName, "36")}  ${bold(e.functionName)}(${e.params.length ? "input" : ""})${tags.length ? "  " + dim(`[${tags.join(", ")}]`) : ""}`);
    if (e.description) lines.push(`  ${e.description.replace(/\s+/g, " ")}`);
    if (e.params.length === 0) lines.push(`  ${dim("input:")} none`);
    else {
      lines.push(`  ${dim("input:")}`);
      const width = Math.min(24, Math.max(...e.params.map((p) => propertyText(p.key).length + (p.optional ? 1 : 0))));
      for (const p of e.params) {
        const name = `${propertyText(p.key)}${p.optional ? "?" : ""}`;
        const extra = [
          "default" in p ? `= ${previewJson(p.default)}` : "",
          p.files ? "(file)" : "",
          p.label && p.label !== p.key ? dim(`${p.label}${p.component ? ` · ${p.component}` : ""}`) : p.component ? dim(p.component) : "",
        ].filter(Boolean);
        lines.push(`    ${name.padEnd(width)}  ${p.type}${extra.length ? "  " + extra.join("  ") : ""}`);
      }
    }
    if (e.returns.length <= 1) lines.push(`  ${dim("output:")} ${e.outputType}${e.returns[0]?.label ? "  " + dim(e.returns[0].label) : ""}`);
    else {
      lines.push(`  ${dim("output:")} tuple of ${e.returns.length}`);
      e.returns.forEach((r, i) => lines.push(`    ${i + 1}. ${r.type}${r.label ? "  " + dim(r.label) : ""}`));
    }
  }
  if (model.warnings.length) {
    lines.push("");
    for (const w of model.warnings) lines.push(paint(`warning: ${w}`, "33"));
  }
  // Names, labels and warnings come from the document: each line stays one line, whatever they hold.
  return lines.map(inlineLine).join("\n");
}
