// One cold first call in a fresh process: import the client, make one call, report and exit.
//
//   node bench/cold.mjs <generated|gradio|floor> <app url> <echo|upload> <generated module .mjs>
//
// Prints one JSON line: { importMs, callMs, sinceStartMs, value }. `sinceStartMs` counts from the
// process's time origin, so it includes Node's own start-up (the same for every client).
const [kind, url, what, modulePath] = process.argv.slice(2);
const t0 = performance.now();
let call;
if (kind === "generated") {
  const m = await import(modulePath);
  call =
    what === "upload"
      ? () => m.fileSize({ file: new Blob(["spacegen bench"]) }, { baseUrl: url })
      : () => m.echo({ text: "hi" }, { baseUrl: url });
} else if (kind === "gradio") {
  const { Client, handle_file } = await import("@gradio/client");
  call = async () => {
    const client = await Client.connect(url);
    const r =
      what === "upload"
        ? await client.predict("/file_size", { file: handle_file(new Blob(["spacegen bench"])) })
        : await client.predict("/echo", { text: "hi" });
    return r.data[0];
  };
} else {
  const { floorCall } = await import("./floor.mjs");
  call = () => floorCall(url, "hi");
}
const t1 = performance.now();
const value = await call();
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, callMs: t2 - t1, sinceStartMs: t2, value }) + "\n");
// @gradio/client keeps a heartbeat stream open; every client exits the same way so wall times compare
process.exit(0);
