// Reading and writing the JSON documents spacegen loads: any Unicode encoding with a BOM,
// and integers beyond 2^53 kept exactly as written.

import { UserError } from "./errors.js";

// Marks a RawNumber inside JSON.stringify's output; random per process, so no document can forge one.
const RAW_TAG = "raw" + Math.random().toString(36).slice(2) + ":";
let rawWritten = 0;

/** An integer literal too large for a double, kept as its exact digits. */
export class RawNumber {
  readonly digits: string;
  constructor(digits: string) {
    this.digits = digits;
  }
  /** A marker string that stringifyJson turns back into the digits (toJSON, not a replacer: 5x faster). */
  toJSON(): string {
    rawWritten++;
    return "\u0000" + RAW_TAG + this.digits;
  }
}

/** Sets an own enumerable property even for "__proto__" (an assignment would set the prototype instead). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A JSON object: not null, not an array, not a RawNumber (which stands for a number). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof RawNumber);
}

/** Decodes file bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return new TextDecoder("utf-8").decode(bytes.subarray(start));
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * JSON.parse, except that integer literals outside the safe range become RawNumber.
 * Such literals are swapped for marker strings (with a per-call nonce, so a document
 * cannot forge one) before parsing, then swapped back.
 */
export function parseJson(text: string, what: string): unknown {
  let big: string[] | undefined;
  const nonce = "\u0000" + Math.random().toString(36).slice(2) + ":";
  // One linear scan (a regular expression over a 40 MB string literal overflows the regexp stack): skip
  // strings, and swap each integer literal of 16 digits or more that a double cannot hold.
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) {
          end = text.length;
          break;
        }
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c /* \ */) slashes++;
        if (slashes % 2 === 0) break;
        end++;
      }
      i = end + 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0] ?? text[i]!;
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        (big ??= []).push(token);
        parts.push(text.slice(copied, i), JSON.stringify(nonce + (big.length - 1)));
        copied = i + token.length;
      }
      i += token.length;
    } else i++;
  }
  const prepared = copied === 0 ? text : parts.join("") + text.slice(copied);
  let value: unknown;
  try {
    value = JSON.parse(prepared);
  } catch (error) {
    throw new UserError(`${what} is not valid JSON (${parserMessage(error)})`);
  }
  if (!big) return value;
  const found = big;
  const restore = (v: unknown): unknown => {
    if (typeof v === "string") return v.startsWith(nonce) ? new RawNumber(found[Number(v.slice(nonce.length))]!) : v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = restore(v[i]);
    } else if (v !== null && typeof v === "object") {
      for (const key of Object.keys(v)) (v as Record<string, unknown>)[key] = restore((v as Record<string, unknown>)[key]);
    }
    return v;
  };
  return restore(value);
}

/**
 * The parser's message without the text it quotes ("Unexpected token 'B', "Bearer hf_"... is not valid
 * JSON"): a server's answer may echo a secret, and the position is enough to find the mistake.
 */
function parserMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "").replace(/ is not valid JSON$/, "");
}

/** JSON text with RawNumber written as its digits; 2-space indent, keys in their order. */
export function stringifyJson(value: unknown, indent = 2): string {
  const before = rawWritten;
  const text = JSON.stringify(value, null, indent);
  if (rawWritten === before) return text;
  // JSON.stringify writes the NUL as the six characters \u0000, which no other string can start with here.
  return text.replace(new RegExp('"\\\\u0000' + RAW_TAG + '(-?\\d+)"', "g"), (_m, digits: string) => digits);
}
