// The escaper for text from a schema that ends up inside comments of generated code.
// Everything else from a schema reaches the module only through JSON.stringify (see literal.ts).

import { INVISIBLE, unicodeEscape } from "../shared/terminal.js";

const MAX_COMMENT = 2000;

/** C0 but tab and newline, DEL and C1: dropped from comments. */
// eslint-disable-next-line no-control-regex -- its job is to match control characters
const DROPPED_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text safe inside a /** *\/ block: no terminator, no control characters, well-formed Unicode, and the
 * invisible marks that reorder text (bidi overrides, "Trojan Source") written visibly as \uXXXX.
 */
function commentText(value: string, max = MAX_COMMENT): string {
  let s = value.length > max ? value.slice(0, max - 1) + "…" : value;
  s = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  return s
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, "\n")
    .replace(DROPPED_CONTROLS, "")
    .replace(INVISIBLE, unicodeEscape)
    .replace(/\*\//g, "*\\/")
    .trim();
}

/** Text safe on one // line. */
export function lineCommentText(value: string, max = 300): string {
  return commentText(value, max).replace(/\s*\n\s*/g, " ");
}

/** A JSDoc tag written by spacegen (its text still escaped), as opposed to text from a schema. */
export interface DocTag {
  tag: "default" | "example";
  text: string;
}

/** Schema text with every "@" escaped: TypeScript reads a tag after any whitespace and "{@link …}" anywhere. */
const noTags = (text: string) => text.replace(/@/g, "\\@");

/** Schema text for a JSDoc comment that another tool writes (json-schema-to-typescript's nested descriptions). */
export const docText = (value: string, max?: number) => noTags(commentText(value, max));

/**
 * A JSDoc block from lines, indented; "" when there is nothing to say. Plain lines come from schemas, so
 * every "@" in them is escaped (editors show "\@" as "@"): a Space cannot forge tags such as @deprecated
 * or links such as {@link https://…} in its users' editors. Tags spacegen writes are DocTags.
 */
export function jsDoc(lines: (string | DocTag)[], indent = ""): string {
  const body = lines.flatMap((line) =>
    typeof line === "string" ? noTags(commentText(line)).split("\n") : [`@${line.tag} ${noTags(commentText(line.text)).replace(/\n/g, " ")}`],
  );
  while (body.length > 0 && body[body.length - 1]!.trim() === "") body.pop();
  if (body.length === 0) return "";
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((l) => `${indent} *${l ? " " + l : ""}`).join("\n")}\n${indent} */\n`;
}
