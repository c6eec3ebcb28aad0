// chat.py on Gradio 5.x (and 4.44, see chat.v4.ts): message content is a string or {file}; the ChatInterface is /chat.
import * as app from "@e2e/app";
import { eq, ok, type T } from "./_lib.ts";

type Content = Exclude<app.RespondOutput[0], null | app.ComponentUpdate<unknown>>[number]["content"];

const variant = {
  textOf: (c: Content): string => (typeof c === "string" ? c : ""),
  filesOf: (c: Content): app.FileData[] => (typeof c === "object" && "file" in c ? [c.file] : []),
  sizes: (files: app.FileData[], sizes: number[]): string => files.map((f, i) => `${f.path.split("/").pop()}=${sizes[i]}`).join(","),
  async checks(t: T): Promise<void> {
    await t.check("/last_reply", "Chatbot as input (string content on 4.x/5.x)", async () => {
      const out = await app.lastReply({
        history: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a1" },
          { role: "user", content: "q2" },
          { role: "assistant", content: "the answer" },
        ],
      });
      eq(out, ["the answer", 4]);
      eq(await app.lastReply({ history: [] }), ["", 0]);
    });
    await t.check("/chat", "ChatInterface (/chat on 4.x/5.x); hidden history State", async () => {
      const out: unknown = await app.chat({ message: "hello", prefix: "pre: " });
      ok(typeof out === "string", `a string reply, got ${JSON.stringify(out)}`);
      eq(out, "pre: olleh (turn 1)");
      eq(await app.chat({ message: "ab" }), "bot: ba (turn 1)", "prefix default");
    });
  },
};
export default variant;
