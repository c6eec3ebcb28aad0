// A load balancer in front of several replicas of one app, on loopback, as Hugging Face's is in front of a Space
// with replicas: a request that carries its cookie goes to the replica the cookie names; any other request goes to
// the next replica in turn, and the answer sets the cookie. With `sticky: false` the cookie is ignored (plain
// round robin), which is what breaks a Gradio call whose two requests reach different replicas.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StickyProxy {
  url: string;
  /** requests forwarded to each replica, by index */
  counts: number[];
  /** requests that carried the cookie */
  pinned: number;
  close(): Promise<void>;
}

const STICKY_COOKIE = "spacegen-replica";

export async function startStickyProxy(replicas: string[], options: { sticky?: boolean } = {}): Promise<StickyProxy> {
  const sticky = options.sticky ?? true;
  const targets = replicas.map((r) => new URL(r));
  const counts = targets.map(() => 0);
  let next = 0;
  let pinned = 0;
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const cookie = /(?:^|;\s*)spacegen-replica=(\d+)/.exec(req.headers.cookie ?? "");
    let index: number;
    let setCookie: string | undefined;
    if (sticky && cookie && Number(cookie[1]) < targets.length) {
      index = Number(cookie[1]);
      pinned++;
    } else {
      index = next++ % targets.length;
      setCookie = `${STICKY_COOKIE}=${index}; Path=/; HttpOnly`;
    }
    counts[index]!++;
    const target = targets[index]!;
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      const headers = { ...answer.headers };
      if (setCookie) headers["set-cookie"] = [...(answer.headers["set-cookie"] ?? []), setCookie];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get pinned() {
      return pinned;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => r());
      }),
  };
}
