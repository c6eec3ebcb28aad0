// The SSE reader against the project's own captured /call streams (test/goldens/<version>/<app>/calls/*.sse,
// raw bytes from real Gradio 6.31.0, 5.50.0 and 4.44.1), split at every byte offset.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sse } from "../../templates/runtime.ts";
import { capturedStreams } from "../support/goldens.ts";

const captures = capturedStreams.map(({ name, path }) => ({ name, bytes: new Uint8Array(readFileSync(path)) }));

/** Gradio's framing is simple (event: X\ndata: Y\n\n): an independent reading to compare with. */
function reference(text: string): [string, string][] {
  return text
    .split("\n\n")
    .filter((block) => block.includes("data:"))
    .map((block) => {
      const lines = block.split("\n");
      const event =
        lines
          .find((l) => l.startsWith("event:"))
          ?.slice(6)
          .trim() ?? "message";
      const data = lines
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""))
        .join("\n");
      return [event, data];
    });
}

function parse(chunks: Uint8Array[]): [string, string][] {
  const feed = sse();
  return chunks.flatMap((c) => feed(c));
}

describe("the project's own captured streams", () => {
  it("has captures from three Gradio versions", () => {
    expect(captures.length).toBeGreaterThan(100);
    expect(new Set(captures.map((c) => c.name.split("/")[0])).size).toBe(3);
  });
  it.each(captures.map((c) => [c.name, c.bytes]))("%s: same events unsplit, at every split, byte by byte", (_name, bytes) => {
    const whole = parse([bytes]);
    // A capture may end mid-event (a dropped connection); only complete events are compared.
    const text = new TextDecoder().decode(bytes);
    expect(whole).toEqual(reference(text.slice(0, text.lastIndexOf("\n\n") + 2)));
    for (let at = 1; at < bytes.length; at++) expect(parse([bytes.subarray(0, at), bytes.subarray(at)])).toEqual(whole);
    expect(parse([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });
});
