// test/apps/chat.py: a Chatbot + MultimodalTextbox event (with real file uploads) and a gr.ChatInterface. The
// message content type and the ChatInterface's api_name differ by version: scenarios/chat.v<major>.ts.
import * as app from "@e2e/app";
import variant from "@e2e/variant";
import { bytesEq, download, eq, file, utf8, value, type T } from "./_lib.ts";

export default async function chat(t: T): Promise<void> {
  await t.check("/respond", "MultimodalTextbox with files + Chatbot history → new history; files come back by content", async () => {
    const a = utf8("attachment one"),
      b = utf8("two");
    const out = await app.respond({ message: { text: "hello", files: [file(a, "a.txt", "text/plain"), file(b, "b.txt", "text/plain")] }, history: [] });
    const history = value(out[0]),
      box = value(out[1]);
    eq(box.text, "", "the textbox is cleared");
    eq(box.files ?? [], [], "no files left in the textbox");
    eq(
      history.map((m) => m.role),
      ["user", "user", "user", "assistant"],
    );
    const files = history.flatMap((m) => variant.filesOf(m.content));
    eq(files.length, 2, "two file messages");
    bytesEq(await download(files[0]!), a, "first attachment");
    bytesEq(await download(files[1]!), b, "second attachment");
    eq(variant.textOf(history[3]!.content), `echo: olleh | files: 2 [${variant.sizes(files, [a.length, b.length])}] | user msgs: 3`);
  });
  await variant.checks(t);
}
