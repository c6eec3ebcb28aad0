// The SSE reader: every transcript of the shared fixture, split at every byte offset, and the spec's edge cases.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { sse } from "../../templates/runtime.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = path.resolve(repoRoot, "../shared/fixtures/protocol/sse-call-transcripts.txt");

type Ev = [string, string];

/** The transcripts of the fixture: per numbered block, its event/data pairs (the file lists them without blank lines). */
function transcripts(): { name: string; events: Ev[] }[] {
  const text = readFileSync(fixture, "utf8");
  const out: { name: string; events: Ev[] }[] = [];
  for (const block of text.split(/^##########/m).slice(1)) {
    const name = block.split("\n")[0]!.trim();
    const events: Ev[] = [];
    let ev: string | undefined;
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) ev = line.slice(7);
      else if (line.startsWith("data: ") && ev !== undefined) {
        events.push([ev, line.slice(6)]);
        ev = undefined;
      }
    }
    if (events.length) out.push({ name, events });
  }
  return out;
}

const enc = new TextEncoder();
const wire = (events: Ev[], eol = "\n") => events.map(([e, d]) => `event: ${e}${eol}data: ${d}${eol}${eol}`).join("");

/** Feeds the chunks to a fresh parser and collects every event. */
function parse(chunks: Uint8Array[]): Ev[] {
  const p = sse();
  return chunks.flatMap((c) => p(c));
}
const whole = (s: string | Uint8Array) => parse([typeof s === "string" ? enc.encode(s) : s]);
const splits = (b: Uint8Array) => Array.from({ length: b.length - 1 }, (_, k) => [b.subarray(0, k + 1), b.subarray(k + 1)]);
const bytes = (b: Uint8Array) => Array.from(b, (x) => Uint8Array.of(x));

const all = transcripts();

describe("fixture transcripts", () => {
  test("the fixture has the expected transcripts", () => {
    expect(all.length).toBe(14);
    expect(all.flatMap((t) => t.events).length).toBeGreaterThanOrEqual(20);
  });

  describe.each(all.flatMap((t) => ["\n", "\r\n", "\r"].map((eol) => ({ ...t, eol, label: JSON.stringify(eol) }))))("$name ($label)", ({ events, eol }) => {
    const b = enc.encode(wire(events, eol));
    test("unsplit gives the listed events", () => {
      expect(whole(b)).toEqual(events);
    });
    test("split at every byte offset gives the same events", () => {
      for (const chunks of splits(b)) expect(parse(chunks)).toEqual(events);
    });
    test("1-byte chunks give the same events", () => {
      expect(parse(bytes(b))).toEqual(events);
    });
  });
});

const cases: { name: string; input: string | Uint8Array; events: Ev[] }[] = [
  { name: "BOM at the start", input: "\uFEFFevent: complete\ndata: [1]\n\n", events: [["complete", "[1]"]] },
  { name: "only the first BOM is dropped", input: "\uFEFFdata: \uFEFFx\n\n", events: [["message", "\uFEFFx"]] },
  { name: "CRLF", input: "event: complete\r\ndata: [1]\r\n\r\n", events: [["complete", "[1]"]] },
  { name: "lone CR", input: "event: complete\rdata: [1]\r\r", events: [["complete", "[1]"]] },
  {
    name: "mixed line ends",
    input: "event: a\rdata: 1\r\n\nevent: b\ndata: 2\r\r",
    events: [
      ["a", "1"],
      ["b", "2"],
    ],
  },
  { name: "multi-line data joined with LF", input: "data: a\ndata: b\ndata:\n\n", events: [["message", "a\nb\n"]] },
  { name: "comments ignored", input: ": hello\nevent: complete\n: mid\ndata: 1\n\n:bye\n\n", events: [["complete", "1"]] },
  {
    name: "one leading space stripped",
    input: "data:x\n\ndata:  y\n\n",
    events: [
      ["message", "x"],
      ["message", " y"],
    ],
  },
  { name: "field without colon", input: "data\n\n", events: [["message", ""]] },
  { name: "event without data is not dispatched", input: "event: heartbeat\n\ndata: 1\n\n", events: [["message", "1"]] },
  {
    name: "event type resets after dispatch",
    input: "event: a\ndata: 1\n\ndata: 2\n\n",
    events: [
      ["a", "1"],
      ["message", "2"],
    ],
  },
  { name: "id and retry ignored", input: "id: 7\nretry: 100\nevent: complete\ndata: 1\n\n", events: [["complete", "1"]] },
  { name: "unknown fields ignored", input: "foo: bar\nevent: x\ndata: 1\n\n", events: [["x", "1"]] },
  { name: "colon inside value kept", input: "data: a: b\n\n", events: [["message", "a: b"]] },
  { name: "incomplete last event discarded", input: "event: complete\ndata: 1\n\nevent: complete\ndata: 2\n", events: [["complete", "1"]] },
  { name: "emoji and non-ASCII data", input: 'event: complete\ndata: ["😀 héllo 世界"]\n\n', events: [["complete", '["😀 héllo 世界"]']] },
  { name: "U+2028 inside data", input: "data: a\u2028b\n\n", events: [["message", "a\u2028b"]] },
];

describe("spec edge cases", () => {
  test.each(cases)("$name: unsplit", ({ input, events }) => {
    expect(whole(input)).toEqual(events);
  });
  test.each(cases)("$name: split at every byte offset and into 1-byte chunks", ({ input, events }) => {
    const b = typeof input === "string" ? enc.encode(input) : input;
    for (const chunks of splits(b)) expect(parse(chunks)).toEqual(events);
    expect(parse(bytes(b))).toEqual(events);
  });

  test("CR at the end of one chunk and LF at the start of the next are one line end", () => {
    const p = sse();
    expect(p(enc.encode("event: a\r"))).toEqual([]);
    expect(p(enc.encode("\ndata: 1\r"))).toEqual([]);
    // the LF completes the CRLF of "data: 1"; the following CR is the blank line
    expect(p(enc.encode("\n\r"))).toEqual([["a", "1"]]);
    expect(p(enc.encode("\n"))).toEqual([]);
  });

  test("an event is dispatched as soon as its blank line arrives (no waiting for the next chunk)", () => {
    const p = sse();
    expect(p(enc.encode("data: 1\r\r"))).toEqual([["message", "1"]]);
    expect(p(enc.encode("data: 2\n\n"))).toEqual([["message", "2"]]);
  });

  test("a CR pending across an empty decode (partial UTF-8) still joins with the next LF", () => {
    const p = sse();
    const e = enc.encode("é");
    expect(p(enc.encode("data: x\r"))).toEqual([]);
    expect(p(new Uint8Array(0))).toEqual([]);
    expect(p(enc.encode("\n\r\ndata: "))).toEqual([["message", "x"]]);
    expect(p(e.subarray(0, 1))).toEqual([]);
    expect(p(Uint8Array.of(...e.subarray(1), 10, 10))).toEqual([["message", "é"]]);
  });

  test("a multi-byte emoji split inside its bytes", () => {
    const b = enc.encode("data: 😀\n\n");
    const at = b.indexOf(0xf0);
    for (let k = at + 1; k < at + 4; k++) expect(parse([b.subarray(0, k), b.subarray(k)])).toEqual([["message", "😀"]]);
  });

  test("a BOM split across chunks", () => {
    const b = enc.encode("\uFEFFdata: 1\n\n");
    expect(parse([b.subarray(0, 1), b.subarray(1, 2), b.subarray(2)])).toEqual([["message", "1"]]);
  });
});
