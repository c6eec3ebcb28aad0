// A Gradio-like queue server for the multiplexed transport's tests, modelled on gradio/routes.py and queueing.py
// (6.31, the same on 5.50 and 4.44):
// - POST {prefix}/queue/join creates the session's message queue, starts the job and answers its event id (after
//   `joinDelay`, while the job may already be sending: its first messages can come before the id);
// - GET {prefix}/queue/data?session_hash= sends the messages of every event of the session; after a
//   process_completed, when no event of the session is pending, it sends close_stream and ends. An unknown session
//   gets unexpected_error (session_not_found). When the client hangs up, every job of the session dies (clean_events);
// - POST {prefix}/cancel kills EVERY running job of that fn_index in the session (Gradio cancels the asyncio tasks
//   named {session_hash}_{fn_index}): killed jobs send nothing more, not even process_completed; the event named in
//   the body, when still pending, gets process_completed {output: {}, success: true}.
import type http from "node:http";
import { json, sleep, type Rec, type TestServer } from "./server.ts";

/** A message of the script of a job, a pause, or "hang" (the job never ends). */
export type JobStep = Record<string, unknown> | { wait: number } | "hang";

export interface Job {
  id: string;
  session: string;
  fnIndex: number;
  data: unknown[];
  alive: boolean;
  /** killed by /cancel or a hang-up (not finished) */
  killed: boolean;
}

interface Session {
  messages: string[];
  pending: Set<string>;
  wake?: (() => void) | undefined;
}

export interface QueueServerOptions {
  prefix?: string;
  /** ms before a join is answered (the job starts at once) */
  joinDelay?: number | ((job: Job) => number);
  /** the messages of a job; default: process_completed with its data */
  script?: (job: Job) => JobStep[];
}

export const completed = (id: string, data: unknown[]) => ({
  msg: "process_completed",
  event_id: id,
  output: { data, is_generating: false },
  success: true,
  title: null,
});
export const generating = (id: string, data: unknown[]) => ({
  msg: "process_generating",
  event_id: id,
  output: { data, is_generating: true },
  success: true,
  time_limit: null,
});
export const sseData = (m: unknown) => `data: ${JSON.stringify(m)}\n\n`;

export class QueueServer {
  readonly sessions = new Map<string, Session>();
  readonly jobs: Job[] = [];
  readonly streams: Rec[] = [];
  readonly cancels: { session_hash: string; fn_index: number; event_id: string }[] = [];
  /** remote ports of every request: one per TCP connection the client opened */
  readonly sockets = new Set<number>();
  /** the most streams of one session open at the same time */
  maxConcurrentStreams = 0;
  private open = new Map<string, number>();
  private n = 0;
  constructor(
    private readonly srv: TestServer,
    private readonly options: QueueServerOptions = {},
  ) {
    srv.handle((req, res, rec) => this.handle(req, res, rec));
  }

  get joins(): Rec[] {
    return this.srv.recs.filter((r) => r.url.endsWith("/queue/join"));
  }

  private push(hash: string, message: Record<string, unknown>): void {
    const session = this.sessions.get(hash);
    if (!session) return;
    session.messages.push(sseData(message));
    session.wake?.();
  }

  private async run(job: Job): Promise<void> {
    const steps = this.options.script?.(job) ?? [completed(job.id, job.data)];
    for (const step of steps) {
      if (!job.alive) return;
      if (step === "hang") return;
      if ("wait" in step && typeof step.wait === "number") await sleep(step.wait);
      else this.push(job.session, step);
      if (!job.alive) return;
      if ((step as Record<string, unknown>).msg === "process_completed") job.alive = false;
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, rec: Rec): Promise<void> {
    this.sockets.add(req.socket.remotePort ?? 0);
    const prefix = this.options.prefix ?? "/gradio_api";
    const [path, query = ""] = rec.url.split("?");
    if (rec.method === "POST" && path === prefix + "/queue/join") {
      const body = JSON.parse(rec.body);
      if (typeof body.session_hash !== "string") return json(res, 400, { detail: "Session hash not found." });
      const session = this.sessions.get(body.session_hash) ?? { messages: [], pending: new Set<string>() };
      this.sessions.set(body.session_hash, session);
      const job: Job = { id: `ev${++this.n}`, session: body.session_hash, fnIndex: body.fn_index, data: body.data, alive: true, killed: false };
      this.jobs.push(job);
      session.pending.add(job.id);
      void this.run(job);
      const delay = typeof this.options.joinDelay === "function" ? this.options.joinDelay(job) : (this.options.joinDelay ?? 0);
      if (delay) await sleep(delay);
      return json(res, 200, { event_id: job.id });
    }
    if (rec.method === "POST" && path === prefix + "/cancel") {
      const body = JSON.parse(rec.body);
      this.cancels.push(body);
      for (const job of this.jobs)
        if (job.session === body.session_hash && job.fnIndex === body.fn_index && job.alive) {
          job.alive = false;
          job.killed = true;
        }
      const session = this.sessions.get(body.session_hash);
      if (session?.pending.has(body.event_id)) this.push(body.session_hash, { msg: "process_completed", event_id: body.event_id, output: {}, success: true });
      return json(res, 200, { success: true });
    }
    if (rec.method === "POST" && path === prefix + "/upload") return json(res, 200, ["/tmp/gradio/up/a.txt"]);
    if (rec.method === "GET" && path === prefix + "/queue/data") {
      this.streams.push(rec);
      const hash = new URLSearchParams(query).get("session_hash") ?? "";
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      const session = this.sessions.get(hash);
      this.open.set(hash, (this.open.get(hash) ?? 0) + 1);
      this.maxConcurrentStreams = Math.max(this.maxConcurrentStreams, this.open.get(hash)!);
      res.on("close", () => this.open.set(hash, this.open.get(hash)! - 1));
      if (!session)
        return void res.end(sseData({ msg: "unexpected_error", event_id: null, message: "404: Not Found", session_not_found: true, success: false }));
      let hungUp = false;
      res.on("close", () => {
        if (res.writableEnded) return;
        hungUp = true;
        session.wake?.();
        // clean_events(session_hash): every job of the session dies
        for (const job of this.jobs)
          if (job.session === hash && job.alive) {
            job.alive = false;
            job.killed = true;
          }
        session.pending.clear();
      });
      for (;;) {
        while (session.messages.length) {
          const frame = session.messages.shift()!;
          res.write(frame);
          const m = JSON.parse(frame.slice(6));
          if (m.msg === "process_completed") {
            session.pending.delete(m.event_id);
            if (!session.pending.size) return void res.end(sseData({ msg: "close_stream", event_id: null }));
          }
        }
        if (hungUp) return;
        await new Promise<void>((r) => (session.wake = r));
        session.wake = undefined;
        if (hungUp) return;
      }
    }
    res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not Found"}');
  }
}
