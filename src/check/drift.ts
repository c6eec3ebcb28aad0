// The semantic summary of --check: what changed in an app's API between the snapshot on disk and
// the app now, per endpoint, classified for callers.
//
//   breaking  the API prefix changed, endpoint removed or renamed, parameter removed/renamed/reordered/made required/moved,
//             a new required parameter, a parameter type narrowed (incl. enum values removed),
//             the output changed, the hidden slot layout changed (old bindings send the wrong slots)
//   additive  new endpoint, new optional parameter, parameter made optional, enum values added,
//             a parameter type widened, an endpoint that now streams
//   changed   neither: a default, a description, the Gradio version
//
// Types are compared by the TypeScript compiler on the two emitted modules: a parameter is narrowed
// when the old parameter type is not assignable to the new one, an output changed when the new output
// is not assignable to the old one. Order, renames and required-ness are rules over the IR.

import ts from "typescript";
import type { ApiIR, EndpointIR, ParamIR } from "../normalize/ir.js";
import { memoryHost } from "../shared/compiler-host.js";
import { stringifyJson } from "../shared/json.js";
import { previewJson } from "../emit/literal.js";

export type ChangeKind = "breaking" | "additive" | "changed";

export interface Change {
  kind: ChangeKind;
  /** api_name, or null for a change to the whole module */
  endpoint: string | null;
  message: string;
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  // No DOM library (it takes seconds to load): only the web types an Input or Output can mention are
  // declared, nominally (a private brand), so that e.g. a number is not assignable to Blob.
  lib: ["lib.es2022.d.ts"],
  types: [],
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  skipLibCheck: true,
};

const WEB_TYPES = [
  "declare class Blob { private readonly __blob: true; readonly size: number; readonly type: string; }",
  "declare class File extends Blob { private readonly __file: true; readonly name: string; }",
  "declare class URL { private readonly __url: true; href: string; }",
  "declare class AbortSignal { private readonly __signal: true; }",
].join("\n");

/** Type questions about the old and new modules, answered by one TypeScript program. */
class TypeOracle {
  private readonly aliases: string[] = [];
  private checker: ts.TypeChecker | undefined;
  private types = new Map<string, ts.Type>();

  constructor(
    private readonly oldCode: string,
    private readonly newCode: string,
  ) {}

  /** Registers a type expression over `O` (old module) and `N` (new module); returns its handle. */
  add(expression: string): string {
    const name = `T${this.aliases.length}`;
    this.aliases.push(`export type ${name} = ${expression};`);
    return name;
  }

  private compile(): ts.TypeChecker {
    if (this.checker) return this.checker;
    const check = [`import type * as O from "../old";`, `import type * as N from "../new";`, ...this.aliases].join("\n");
    const files = new Map([
      ["/globals.d.ts", WEB_TYPES],
      ["/old.ts", this.oldCode],
      ["/new.ts", this.newCode],
      ["/check.ts", check],
    ]);
    const program = ts.createProgram(["/globals.d.ts", "/check.ts"], OPTIONS, memoryHost(files, OPTIONS));
    const checker = program.getTypeChecker();
    const source = program.getSourceFile("/check.ts")!;
    for (const statement of source.statements)
      if (ts.isTypeAliasDeclaration(statement)) this.types.set(statement.name.text, checker.getTypeAtLocation(statement.name));
    return (this.checker = checker);
  }

  assignable(source: string, target: string): boolean {
    const checker = this.compile();
    return checker.isTypeAssignableTo(this.types.get(source)!, this.types.get(target)!);
  }

  /** The type written out, not by its alias (an output is `XOutput = OutputValue<…>`, which names would hide). */
  text(handle: string): string {
    const checker = this.compile();
    const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType | ts.TypeFormatFlags.InTypeAlias;
    return checker.typeToString(this.types.get(handle)!, undefined, flags);
  }

  /** The values of a union of literals (or one literal), or null when the type is anything else. */
  literals(handle: string): string[] | null {
    this.compile();
    const type = this.types.get(handle)!;
    const members = type.isUnion() ? type.types : [type];
    const values: string[] = [];
    for (const member of members) {
      if (member.isStringLiteral()) values.push(JSON.stringify(member.value));
      else if (member.isNumberLiteral()) values.push(String(member.value));
      else if (member.flags & ts.TypeFlags.Null) continue;
      else return null;
    }
    return values.length > 0 ? values : null;
  }
}

const code = (s: string) => "`" + s.replace(/`/g, "'") + "`";
const list = (values: string[]) => values.join(", ");

/** A signature for rename detection: parameter keys, schemas and defaults, and returns. */
function signature(e: EndpointIR): string {
  return stringifyJson({ p: e.params.map((p) => [p.key, p.schema, p.hasDefault]), r: e.returns.map((r) => r.schema) }, 0);
}

const slotMask = (slots: readonly unknown[]) => slots.map((s) => (s === null ? "_" : "x")).join("");
const hiddenCount = (slots: readonly unknown[]) => slots.filter((s) => s === null).length;
/** How many hidden slots precede a parameter on the wire. */
const hiddenBefore = (e: EndpointIR, key: string) =>
  hiddenCount(
    e.inputSlots.slice(
      0,
      Math.max(
        0,
        e.inputSlots.findIndex((s) => s?.key === key),
      ),
    ),
  );

export function compareApis(oldIr: ApiIR, newIr: ApiIR, oldCode: string, newCode: string): Change[] {
  const changes: Change[] = [];
  const add = (kind: ChangeKind, endpoint: string | null, message: string) => changes.push({ kind, endpoint, message });
  const oracle = new TypeOracle(oldCode, newCode);

  if (oldIr.space.url !== newIr.space.url) add("changed", null, `app URL changed: ${oldIr.space.url} → ${newIr.space.url}`);
  // Every route of the old module sits under the old prefix: its calls would all miss.
  if (oldIr.space.apiPrefix !== newIr.space.apiPrefix)
    add(
      "breaking",
      null,
      `API prefix changed: ${code(oldIr.space.apiPrefix)} → ${code(newIr.space.apiPrefix)}: bindings generated before call routes that no longer exist`,
    );
  if (oldIr.space.gradioVersion !== newIr.space.gradioVersion)
    add("changed", null, `Gradio ${oldIr.space.gradioVersion ?? "unknown"} → ${newIr.space.gradioVersion ?? "unknown"}`);

  const oldByName = new Map(oldIr.endpoints.map((e) => [e.apiName, e]));
  const newByName = new Map(newIr.endpoints.map((e) => [e.apiName, e]));
  const removed = oldIr.endpoints.filter((e) => !newByName.has(e.apiName));
  const added = newIr.endpoints.filter((e) => !oldByName.has(e.apiName));

  // Renames: a removed and an added endpoint with the same signature (parameters, defaults, returns).
  // Dependency ids are no evidence: removing one event listener shifts every id after it.
  const renamed = new Map<EndpointIR, EndpointIR>();
  for (const old of removed) {
    const match = added.find((n) => ![...renamed.values()].includes(n) && signature(n) === signature(old));
    if (match) renamed.set(old, match);
  }
  const pairs: [EndpointIR, EndpointIR][] = [];
  for (const old of oldIr.endpoints) {
    const now = newByName.get(old.apiName);
    if (now) pairs.push([old, now]);
  }
  for (const old of removed) {
    const now = renamed.get(old);
    if (now) {
      add("breaking", old.apiName, `endpoint renamed to ${code(now.apiName)} (${code(old.functionName)} → ${code(now.functionName)})`);
      pairs.push([old, now]);
    } else add("breaking", old.apiName, `endpoint removed`);
  }
  const renamedTargets = new Set(renamed.values());
  for (const now of added) if (!renamedTargets.has(now)) add("additive", now.apiName, `new endpoint ${code(now.functionName)}`);

  // Two passes: every type question is registered first, so that one program answers them all.
  const deferred: (() => void)[] = [];
  for (const [old, now] of pairs) compareEndpoint(old, now, oracle, (kind, message) => add(kind, now.apiName, message), deferred);
  for (const answer of deferred) answer();

  // Stable order: module-level first, then by endpoint in the new document's order (removed last).
  const order = new Map<string | null, number>([[null, -1]]);
  newIr.endpoints.forEach((e, i) => order.set(e.apiName, i));
  oldIr.endpoints.forEach((e, i) => order.has(e.apiName) || order.set(e.apiName, 10_000 + i));
  const rank = (k: ChangeKind) => (k === "breaking" ? 0 : k === "additive" ? 1 : 2);
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => order.get(a.c.endpoint)! - order.get(b.c.endpoint)! || rank(a.c.kind) - rank(b.c.kind) || a.i - b.i)
    .map(({ c }) => c);
}

function compareEndpoint(old: EndpointIR, now: EndpointIR, oracle: TypeOracle, add: (kind: ChangeKind, message: string) => void, later: (() => void)[]): void {
  const oldKeys = old.params.map((p) => p.key);
  const newKeys = now.params.map((p) => p.key);
  const newByKey = new Map(now.params.map((p) => [p.key, p]));
  const oldByKey = new Map(old.params.map((p) => [p.key, p]));
  const prop = (side: "O" | "N", e: EndpointIR, key: string) => oracle.add(`Required<${side}.${e.inputType}>[${JSON.stringify(key)}]`);

  // Removed and added parameters; a removal and an addition at the same position with the same type is a rename.
  const gone = old.params.filter((p) => !newByKey.has(p.key));
  const fresh = now.params.filter((p) => !oldByKey.has(p.key));
  const renamedTo = new Map<ParamIR, ParamIR>();
  for (const p of gone) {
    const q = fresh.find((f) => now.params.indexOf(f) === old.params.indexOf(p) && stringifyJson(f.schema, 0) === stringifyJson(p.schema, 0));
    if (q) renamedTo.set(p, q);
  }
  for (const p of gone) {
    const q = renamedTo.get(p);
    add("breaking", q ? `parameter ${code(p.key)} renamed to ${code(q.key)}` : `parameter ${code(p.key)} removed`);
  }
  const renamedNew = new Set(renamedTo.values());
  for (const q of fresh) {
    if (renamedNew.has(q)) continue;
    // Additive for code (callers may omit it), but the wire array grows: Gradio rejects the shorter array
    // that bindings generated before send, on every version, so they must be regenerated.
    if (q.hasDefault)
      add("additive", `new optional parameter ${code(q.key)} (default ${previewJson(q.default)}); regenerate: older bindings send one value fewer`);
    else add("breaking", `new required parameter ${code(q.key)}`);
  }

  // Order: the API is positional, so bindings generated before a reorder send values to the wrong slots.
  const common = oldKeys.filter((k) => newByKey.has(k));
  const commonNew = newKeys.filter((k) => oldByKey.has(k));
  if (common.join("\u0000") !== commonNew.join("\u0000")) {
    add("breaking", `parameters reordered: (${list(common)}) → (${list(commonNew)})`);
  } else if (
    hiddenCount(old.inputSlots) !== hiddenCount(now.inputSlots) ||
    (gone.length === 0 && common.some((k) => hiddenBefore(old, k) !== hiddenBefore(now, k)))
  ) {
    add(
      "breaking",
      `hidden input slots changed (${slotMask(old.inputSlots)} → ${slotMask(now.inputSlots)}): bindings generated before send values to the wrong slots`,
    );
  } else if (gone.length === 0) {
    const shifted = common.filter((k) => old.params.findIndex((p) => p.key === k) !== now.params.findIndex((p) => p.key === k));
    if (shifted.length > 0)
      add("breaking", `parameter${shifted.length > 1 ? "s" : ""} ${list(shifted.map(code))} moved to a new position by an inserted parameter`);
  }

  // Per common parameter: required-ness, then its type as the compiler sees it, then its default.
  for (const key of common) {
    const p = oldByKey.get(key)!;
    const q = newByKey.get(key)!;
    if (p.hasDefault && !q.hasDefault) add("breaking", `parameter ${code(key)} is now required (it had a default)`);
    if (!p.hasDefault && q.hasDefault) add("additive", `parameter ${code(key)} is now optional (default ${previewJson(q.default)})`);
    const [o, n] = [prop("O", old, key), prop("N", now, key)];
    later.push(() => compareParamType(oracle, o, n, key, add));
    if (p.hasDefault && q.hasDefault && stringifyJson(p.default, 0) !== stringifyJson(q.default, 0))
      add("changed", `default of ${code(key)} changed: ${previewJson(p.default)} → ${previewJson(q.default)}`);
  }
  for (const [p, q] of renamedTo) {
    const [o, n] = [prop("O", old, p.key), prop("N", now, q.key)];
    later.push(() => compareParamType(oracle, o, n, q.key, add));
  }

  // Output: callers hold values of the old output type; the new one must still be one of those.
  const oldOut = oracle.add(`O.${old.outputType}`);
  const newOut = oracle.add(`N.${now.outputType}`);
  later.push(() => {
    if (!oracle.assignable(newOut, oldOut)) add("breaking", `output changed: ${code(oracle.text(oldOut))} → ${code(oracle.text(newOut))}`);
    else if (!oracle.assignable(oldOut, newOut))
      add("additive", `output narrowed (still compatible): ${code(oracle.text(oldOut))} → ${code(oracle.text(newOut))}`);
    else if (old.returns.length === now.returns.length && slotMask(old.outputSlots) !== slotMask(now.outputSlots))
      add(
        "breaking",
        `hidden output slots changed (${slotMask(old.outputSlots)} → ${slotMask(now.outputSlots)}): bindings generated before read the wrong values`,
      );
  });

  if (old.generator !== now.generator && now.generator === true) add("additive", "now a generator: `.stream()` yields intermediate values");
  if (old.generator === true && now.generator === false) add("changed", "no longer a generator: `.stream()` yields once");
  if (old.description !== now.description) add("changed", "description changed");
}

function compareParamType(oracle: TypeOracle, oldType: string, newType: string, key: string, add: (kind: ChangeKind, message: string) => void): void {
  const accepts = oracle.assignable(oldType, newType); // every old value is still accepted
  const widerThanBefore = !oracle.assignable(newType, oldType);
  const oldValues = oracle.literals(oldType);
  const newValues = oracle.literals(newType);
  if (oldValues && newValues) {
    const removed = oldValues.filter((v) => !newValues.includes(v));
    const addedValues = newValues.filter((v) => !oldValues.includes(v));
    if (removed.length > 0) add("breaking", `${code(key)}: enum value${removed.length > 1 ? "s" : ""} ${list(removed)} removed`);
    if (addedValues.length > 0) add("additive", `${code(key)}: new enum value${addedValues.length > 1 ? "s" : ""} ${list(addedValues)}`);
    if (removed.length > 0 || addedValues.length > 0) return;
  }
  if (!accepts) add("breaking", `${code(key)}: type narrowed: ${code(oracle.text(oldType))} → ${code(oracle.text(newType))}`);
  else if (widerThanBefore) add("additive", `${code(key)}: type widened: ${code(oracle.text(oldType))} → ${code(oracle.text(newType))}`);
}
