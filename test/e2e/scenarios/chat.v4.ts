// chat.py on Gradio 4.44: the same content shape and /chat name as 5.x.
export { default } from "./chat.v5.ts";
