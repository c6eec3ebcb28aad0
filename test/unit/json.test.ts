import { describe, expect, it } from "vitest";
import { decodeText, parseJson, RawNumber, stringifyJson } from "../../src/shared/json.ts";

const text = '{"a":"é😀","n":[1,2]}';

describe("decodeText", () => {
  const utf16 = (s: string, le: boolean) => {
    const out = new Uint8Array(2 + s.length * 2);
    out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out[2 + 2 * i] = le ? c & 0xff : c >> 8;
      out[3 + 2 * i] = le ? c >> 8 : c & 0xff;
    }
    return out;
  };
  it.each([
    ["UTF-8", new TextEncoder().encode(text)],
    ["UTF-8 with BOM", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])],
    ["UTF-16 LE with BOM", utf16(text, true)],
    ["UTF-16 BE with BOM", utf16(text, false)],
  ])("reads %s", (_name, bytes) => {
    expect(decodeText(bytes)).toBe(text);
  });
});

describe("parseJson", () => {
  it("keeps integers beyond 2^53 exactly as written", () => {
    const doc = parseJson('{"seed": 325044460070385150, "small": 42, "neg": -99999999999999999999, "f": 1.5e300}', "x") as Record<string, unknown>;
    expect(doc.seed).toBeInstanceOf(RawNumber);
    expect((doc.seed as RawNumber).digits).toBe("325044460070385150");
    expect((doc.neg as RawNumber).digits).toBe("-99999999999999999999");
    expect(doc.small).toBe(42);
    expect(doc.f).toBe(1.5e300);
  });
  it("leaves digits inside strings alone", () => {
    expect(parseJson('{"s": "325044460070385150"}', "x")).toEqual({ s: "325044460070385150" });
  });
  it("cannot be tricked by a string that looks like its marker", () => {
    const doc = parseJson('{"s": "\\u0000abc:0", "n": 325044460070385150}', "x") as Record<string, unknown>;
    expect(doc.s).toBe("\u0000abc:0");
  });
  it("refuses invalid JSON with a message naming the document", () => {
    expect(() => parseJson("{nope", "info.json")).toThrow(/info.json is not valid JSON/);
  });
  it("round-trips big integers through stringifyJson", () => {
    const doc = parseJson('{"seed":325044460070385150,"list":[12345678901234567890]}', "x");
    expect(stringifyJson(doc, 0)).toBe('{"seed":325044460070385150,"list":[12345678901234567890]}');
  });
});
