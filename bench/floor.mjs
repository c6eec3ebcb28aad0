// The floor: the least a client can do for one call of a Gradio 5+/6 endpoint. One POST, one GET of
// the result stream, read to its end (the server closes it after `complete`). No uploads, options,
// errors, cancellation or incremental parsing.
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
