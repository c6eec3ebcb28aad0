// chat.py on Gradio 6.x: message content is a list of typed parts; the ChatInterface is /chat_fn.
import * as app from "@e2e/app";
import { eq, ok, type T } from "./_lib.ts";

type Content = Exclude<app.RespondOutput[0], null | app.ComponentUpdate<unknown>>[number]["content"];

const variant = {
  textOf: (c: Content): string => c.map((p) => ("text" in p ? p.text : "")).join(""),
  filesOf: (c: Content): app.FileData[] => c.flatMap((p) => ("file" in p ? [p.file] : [])),
  /** the reply names each stored file with its size; the stored names are the uploaded ones */
  sizes: (files: app.FileData[], sizes: number[]): string => files.map((f, i) => `${f.path.split("/").pop()}=${sizes[i]}`).join(","),
  async checks(t: T): Promise<void> {
    await t.check("/last_reply", "Chatbot as input (content parts on 6.x)", async () => {
      const out = await app.lastReply({
        history: [
          { role: "user", content: [{ type: "text", text: "q" }] },
          { role: "assistant", content: [{ type: "text", text: "a1" }] },
          { role: "user", content: [{ type: "text", text: "q2" }] },
          { role: "assistant", content: [{ type: "text", text: "the answer" }] },
        ],
      });
      eq(out, ["the answer", 4]);
      eq(await app.lastReply({ history: [] }), ["", 0]);
    });
    await t.check("/chat_fn", "ChatInterface (named after its function on 6.x); hidden history State", async () => {
      const out = await app.chatFn({ message: "hello", prefix: "pre: " });
      ok(typeof out === "string", `a string reply, got ${JSON.stringify(out)}`);
      eq(out, "pre: olleh (turn 1)");
      eq(await app.chatFn({ message: "ab" }), "bot: ba (turn 1)", "prefix default");
    });
  },
};
export default variant;
