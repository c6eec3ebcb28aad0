// One cold first call in a fresh process: import the client, make one call, report and exit.
//
//   node bench/cold.mjs <generated|generated-call|gradio|floor-call|floor-queue> <app url> <echo|upload> <module .mjs> <fn_index of /echo>
//
// `generated` is the module with its default transport, `generated-call` the same module with
// `transport: "call"`. Prints one JSON line: { importMs, callMs, sinceStartMs, value }. `sinceStartMs` counts
// from the process's time origin, so it includes Node's own start-up (the same for every client).
const [kind, url, what, modulePath, fnIndex] = process.argv.slice(2);
const t0 = performance.now();
let call;
if (kind === "generated" || kind === "generated-call") {
  const m = await import(modulePath);
  const options = kind === "generated-call" ? { baseUrl: url, transport: "call" } : { baseUrl: url };
  call = what === "upload" ? () => m.fileSize({ file: new Blob(["spacegen bench"]) }, options) : () => m.echo({ text: "hi" }, options);
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
} else if (kind === "floor-call") {
  const { floorCall } = await import("./floor.mjs");
  call = () => floorCall(url, "hi");
} else {
  const { queueFloor } = await import("./floor.mjs");
  const floor = queueFloor(url, Number(fnIndex));
  call = () => floor("hi");
}
const t1 = performance.now();
const value = await call();
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, callMs: t2 - t1, sinceStartMs: t2, value }) + "\n");
// @gradio/client keeps a heartbeat stream open; every client exits the same way so wall times compare
process.exit(0);
