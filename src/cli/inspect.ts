// `spacegen inspect <source>`: what an app offers, as the generated module types it. Types are the
// texts emit declared in the module (Generated.types, so exactly what a caller sees); names, defaults,
// files and streaming come from the IR. `--json` prints the same model for machines.
//
// A later renderer takes the InspectModel built by `inspectModel()` and renders it; nothing else in
// here needs to change.

import { randomBytes } from "node:crypto";
import type { EndpointTypes } from "../emit/emit.js";
import { formatApi } from "../emit/format.js";
import type { Generated } from "../emit/generate.js";
import type { EndpointIR } from "../normalize/ir.js";
import { propertyKey } from "../normalize/names.js";
import { previewJson } from "../emit/literal.js";
import { inlineLine, style as styled } from "../shared/terminal.js";

interface InspectParam {
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

interface InspectEndpoint {
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

/** The model of what an app offers: names, defaults, files and streaming from the IR, types as the module declares them. */
export async function inspectModel({ ir, types }: Pick<Generated, "ir" | "types">): Promise<InspectModel> {
  const printed = (await typesAsPrinted(ir.endpoints, types)).values();
  const next = () => printed.next().value!;
  const endpoints = ir.endpoints.map((e, index): InspectEndpoint => {
    const { params: members } = types[index]!;
    const params = e.params.map((p, i): InspectParam => ({
      key: p.key,
      type: next(),
      optional: members[i]!.optional,
      ...(p.hasDefault ? { default: p.default } : {}),
      label: p.label,
      component: p.component,
      description: p.description,
      files: p.files !== null,
    }));
    const outputType = next();
    const slots = e.returns.length > 1 ? e.returns.map(next) : [outputType];
    const returns = e.returns.map((r, i) => ({ label: r.label, component: r.component, type: slots[i]!, files: r.files !== null }));
    const input = e.params.length === 0 ? "" : `input: ${e.inputType}, `;
    return {
      apiName: e.apiName,
      functionName: e.functionName,
      description: e.description,
      visibility: e.visibility,
      streaming: e.generator,
      signature: `${e.functionName}(${input}options?: CallOptions): Promise<${e.outputType}>`,
      inputType: params.length === 0 ? "{}" : `{ ${params.map((p) => `${propertyKey(p.key)}${p.optional ? "?" : ""}: ${p.type}`).join("; ")} }`,
      outputType,
      params,
      returns,
      files: { input: e.params.some((p) => p.files !== null), output: e.returns.some((r) => r.files !== null) },
    };
  });
  return { space: { ...ir.space }, endpoints, warnings: [...ir.warnings] };
}

/** A type as one line of text (prettier lays a long one over several). */
const oneLine = (s: string) =>
  s
    .replace(/\s+/g, " ")
    .replace(/\s*;\s*}/g, " }")
    .trim();

/**
 * The declared types as the module prints them, one line each, in the order inspectModel reads them: per
 * endpoint its members, its output, and (for a tuple) each slot. Prettier lays a type out by its place (a
 * union too long for its member's line starts with `|`), so each is formatted in a replica of its place: its
 * Input member under the same key, its Output alias under the same name, each slot under its label in the
 * tuple. A marker comment on its own line before each (which changes no layout; its nonce no document can
 * guess) cuts the formatted text back into them.
 */
async function typesAsPrinted(endpoints: readonly EndpointIR[], types: readonly EndpointTypes[]): Promise<string[]> {
  const marker = `// ${randomBytes(6).toString("hex")}`;
  const replica: string[] = [];
  endpoints.forEach((e, index) => {
    const { params, output, returns } = types[index]!;
    const members = params.map((p) => `${marker}\n${propertyKey(p.key)}${p.optional ? "?" : ""}: ${p.type};\n`);
    replica.push(`${marker}\nexport interface ${e.inputType} {\n${members.join("")}${marker}\n}\n`);
    replica.push(`${marker}\nexport type ${e.outputType} = ${output};\n`);
    if (returns.length > 1) {
      const slots = returns.map((type, i) => `${marker}\n${e.returnLabels[i]}: ${type},\n`);
      replica.push(`${marker}\nexport type ${e.outputType} = [\n${slots.join("")}${marker}\n];\n`);
    }
  });
  // chunk i is the text after marker i: a member, a slot, an alias, or an opening or closing line to skip
  const chunks = (await formatApi(replica.join(""))).split(new RegExp(`^[ \\t]*${marker}\\n`, "m")).slice(1);
  const printed: string[] = [];
  let at = 0;
  const take = () => chunks[at++]!.trim();
  endpoints.forEach((e, index) => {
    const { params, returns } = types[index]!;
    take(); // `export interface … {`
    for (const _ of params) printed.push(oneLine(afterKey(take()).replace(/;$/, "")));
    take(); // `}`
    printed.push(oneLine(take().slice(`export type ${e.outputType} =`.length).replace(/;$/, "")));
    if (returns.length > 1) {
      take(); // `export type … = [`
      returns.forEach((_, i) => printed.push(oneLine(take().slice(`${e.returnLabels[i]}:`.length).replace(/,$/, ""))));
      take(); // `];`
    }
  });
  return printed;
}

/** A formatted member `key?: type` without its key: prettier may requote a quoted key (`'a"b'`), so its end is read. */
function afterKey(member: string): string {
  let end = 0;
  const quote = member[0];
  if (quote === '"' || quote === "'") {
    for (end = 1; end < member.length && member[end] !== quote; end++) if (member[end] === "\\") end++;
    end++;
  }
  return member.slice(member.indexOf(":", end) + 1);
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
      const width = Math.min(24, Math.max(...e.params.map((p) => propertyKey(p.key).length + (p.optional ? 1 : 0))));
      for (const p of e.params) {
        const name = `${propertyKey(p.key)}${p.optional ? "?" : ""}`;
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
