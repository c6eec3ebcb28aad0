// SSE parsing: the runtime's sse() vs eventsource-parser over the same 100,000-event byte stream.
// Both get bytes (eventsource-parser through a streaming TextDecoder, as it needs text) and count events.
import { createParser } from "eventsource-parser";

/** A Gradio-like stream: `generating` updates, a heartbeat every 100 events, CRLF nowhere. */
export function makeStream(events) {
  let text = "";
  for (let i = 0; i < events; i++) {
    if (i % 100 === 99) text += "event: heartbeat\ndata: null\n\n";
    else text += `event: generating\ndata: ["partial result ${i} with some text in it"]\n\n`;
  }
  return new TextEncoder().encode(text);
}

export function chunksOf(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Chunks cut at every event boundary: a live stream, one read per event. */
export function perEvent(bytes) {
  const out = [];
  let start = 0;
  for (let i = 1; i < bytes.length; i++)
    if (bytes[i - 1] === 10 && bytes[i] === 10) {
      out.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

export function runRuntime(sse, chunks) {
  const parse = sse();
  let n = 0;
  for (const c of chunks) n += parse(c).length;
  return n;
}

export function runEventsourceParser(chunks) {
  const dec = new TextDecoder();
  let n = 0;
  const parser = createParser({ onEvent: () => n++ });
  for (const c of chunks) parser.feed(dec.decode(c, { stream: true }));
  return n;
}
