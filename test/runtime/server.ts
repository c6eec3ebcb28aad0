// A tiny Gradio-like HTTP server for runtime tests: each test gives a handler; every request is recorded.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Rec {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  raw: Buffer;
  /** resolves when the client closed the connection of this request */
  closed: Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, rec: Rec) => unknown;

export interface TestServer {
  url: string;
  origin: string;
  recs: Rec[];
  handle(h: Handler): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  let handler: Handler = (_q, res) => res.writeHead(404).end();
  const recs: Rec[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const rec: Rec = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: raw.toString("utf8"),
        raw,
        closed: new Promise((r) => res.on("close", () => r())),
      };
      recs.push(rec);
      Promise.resolve(handler(req, res, rec)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    recs,
    handle(h) {
      handler = h;
      recs.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** One SSE frame as Gradio writes it. */
export const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** A step of a scripted stream: text to write, a pause, or how the stream stops ("destroy", "end" or "hang"). */
export type Step = string | { wait: number };

/**
 * A Gradio app: POST {prefix}/call/{name} answers an event id, GET {prefix}/call/{name}/{id} plays `steps`,
 * POST {prefix}/upload answers one path per file, POST {prefix}/cancel answers success.
 * `routes` overrides any of them by "METHOD /path" (without the query).
 */
export function gradioApp(steps: Step[], routes: Record<string, Handler> = {}, opts: { prefix?: string; eventId?: string } = {}): Handler {
  const prefix = opts.prefix ?? "/gradio_api";
  const eventId = opts.eventId ?? "ev1";
  return async (req, res, rec) => {
    const path = rec.url.split("?")[0]!;
    const key = `${rec.method} ${path}`;
    if (routes[key]) return routes[key](req, res, rec);
    if (rec.method === "POST" && path.startsWith(prefix + "/call/")) return json(res, 200, { event_id: eventId });
    if (rec.method === "POST" && path === prefix + "/upload") {
      const names = [...rec.body.matchAll(/name="files"; filename="([^"]*)"/g)].map((m) => m[1]);
      return json(
        res,
        200,
        names.map((n, i) => `/tmp/gradio/h${i}/${n}`),
      );
    }
    if (rec.method === "POST" && path === prefix + "/cancel") return json(res, 200, { success: true });
    if (rec.method === "GET" && path.startsWith(prefix + "/call/") && path.endsWith("/" + eventId)) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.flushHeaders();
      for (const s of steps) {
        if (res.destroyed) return;
        if (typeof s === "object") await sleep(s.wait);
        else if (s === "destroy") return void res.socket?.destroy();
        else if (s === "end") return void res.end();
        else if (s === "hang") return;
        else res.write(s);
      }
      return void res.end();
    }
    res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not Found"}');
  };
}

/** Writes text one byte at a time, `every` ms apart, until done or the client goes away. */
export async function dribble(res: http.ServerResponse, text: string, every: number): Promise<void> {
  for (const byte of Buffer.from(text)) {
    if (res.destroyed) return;
    res.write(Buffer.from([byte]));
    await sleep(every);
  }
}
