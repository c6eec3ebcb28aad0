// The floors: the least a client can do for calls of a Gradio 5+/6 endpoint, one per transport. No uploads,
// options, errors, cancellation, timeouts or incremental parsing.
//
// floorCall: POST /call/{api}, then GET the result stream, read to its end (the server closes it after `complete`).
export async function floorCall(url, text) {
  const r = await fetch(url + "/gradio_api/call/echo", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: [text] }),
  });
  const { event_id } = await r.json();
  const body = await (await fetch(url + "/gradio_api/call/echo/" + event_id)).text();
  return JSON.parse(/event: complete\ndata: (.*)/.exec(body)[1])[0];
}

// queueFloor: one session for every call; POST /queue/join per call, and one GET /queue/data stream shared by the
// calls in flight, opened after a join when none is open (the server ends it when no event is pending).
export function queueFloor(url, fnIndex) {
  const session = Math.random().toString(36).slice(2);
  const waiting = new Map();
  const early = new Map();
  let open = false;
  async function read() {
    open = true;
    const response = await fetch(url + "/gradio_api/queue/data?session_hash=" + session);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let end;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const message = JSON.parse(text.slice(6, end));
        text = text.slice(end + 2);
        if (message.msg !== "process_completed") continue;
        const resolve = waiting.get(message.event_id);
        if (resolve) {
          waiting.delete(message.event_id);
          resolve(message.output.data[0]);
        } else early.set(message.event_id, message.output.data[0]);
      }
    }
    open = false;
    if (waiting.size) read().catch(() => {});
  }
  return async (text) => {
    const r = await fetch(url + "/gradio_api/queue/join", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: [text], fn_index: fnIndex, session_hash: session }),
    });
    const { event_id } = await r.json();
    const value = early.has(event_id) ? Promise.resolve(early.get(event_id)) : new Promise((resolve) => waiting.set(event_id, resolve));
    early.delete(event_id);
    if (!open) read().catch(() => {}); // (when the bench stops the app)
    return value;
  };
}

/** The fn_index of /echo, from the app's /config (a generated module has it built in). */
export async function echoFnIndex(url) {
  const config = await (await fetch(url + "/config")).json();
  return config.dependencies.find((d) => d.api_name === "echo").id;
}
