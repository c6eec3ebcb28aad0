// The calls of the differential suite: each is made through the generated module (four ways, see TRANSPORTS)
// and through gradio_client (oracle.py), with the same input. `{ $file: name }` in an input is an asset file
// (written by `oracle.py assets`): a File (Blob) for the module, handle_file() for gradio_client.

/** How the module is called: `x(input)`, `x.stream(input)`, `live(x)(input)`, `live(x).stream(input)`. */
export const TRANSPORTS = ["call", "stream", "live", "liveStream"] as const;
export type Transport = (typeof TRANSPORTS)[number];
/** What is checked per case: each transport against gradio_client, and the returned values' types. */
export type Check = Transport | "types";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Case {
  /** the app (test/differential/apps/<app>.py, mounted at /<app>) */
  app: string;
  /** the endpoint's api_name */
  api: string;
  /** what the case shows: an issue-14 class or a component */
  shows: string;
  /** the input object (parameter_name → value), or one per Gradio major version */
  input: Record<string, Json> | ((major: number) => Record<string, Json>);
  /** a suffix to tell two cases of one endpoint apart */
  variant?: string;
  /**
   * Where Gradio itself makes the module disagree with gradio_client (issue 14, class 7), per version:
   * transport → why, and "types" → why a returned value is not of its declared type. The suite asserts exactly
   * these disagreements, so one that goes away (or appears) fails.
   */
  differs?: (version: string) => Partial<Record<Check, string>>;
}

const file = (name: string) => ({ $file: name });

// Gradio's /call route writes json.dumps, which refuses a numpy scalar, so a call over /call fails; the queue route
// writes orjson with default=str, so gradio_client, live() and the module's calls (the queue is their default
// transport, since the module is generated from the app's URL) get the scalar's str(): for a Number, a string.
const NUMPY_AS_STRING = "class 7: the queue sends a numpy scalar as its str(), not the declared number";

export const CASES: Case[] = [
  // a broad sample of components, as inputs and outputs
  { app: "components", api: "/scalars", shows: "Textbox, Number, Slider, Checkbox", input: { text: "hi", n: 3, x: 2.5, flag: true } },
  {
    app: "components",
    api: "/choices",
    shows: "Radio, Dropdown, Dropdown(multiselect), CheckboxGroup",
    input: { radio: "green", single: "b", multi: ["a", "c"], group: ["z", "x"] },
  },
  { app: "components", api: "/flip_image", shows: "Image (numpy in, re-encoded out)", input: { img: file("red.png") } },
  { app: "components", api: "/image_path", shows: "Image (filepath in and out)", input: { path: file("red.png") } },
  { app: "components", api: "/reverse_audio", shows: "Audio (filepath)", input: { path: file("blip.wav") } },
  { app: "components", api: "/tone", shows: "Audio (numpy out)", input: { freq: 440, seconds: 0.05 } },
  { app: "components", api: "/reverse_file", shows: "File", input: { path: file("hello.txt") } },
  { app: "components", api: "/reverse_files", shows: "File(multiple), JSON", input: { paths: [file("hello.txt"), file("other.txt")] } },
  {
    app: "components",
    api: "/table",
    shows: "Dataframe (array)",
    input: {
      rows: {
        headers: ["name", "a", "b"],
        data: [
          ["x", 1, 2],
          ["y", 3, 4],
        ],
      },
    },
  },
  { app: "components", api: "/json_echo", shows: "JSON", input: { value: { a: [1, 2.5, { b: null }], s: "NaN" } } },
  { app: "components", api: "/highlight", shows: "HighlightedText", input: { text: "one two three" } },
  { app: "components", api: "/classify", shows: "Label", input: { text: "hello" } },
  { app: "components", api: "/chat", shows: "Chatbot (messages)", input: { message: "hello", history: [] } },
  { app: "components", api: "/gallery", shows: "Gallery", input: { count: 2 } },
  {
    app: "components",
    api: "/video",
    shows: "Video",
    // 4.x and 5.x wrap the file as {video, subtitles}; 6.x takes the file itself
    input: (major) => ({ path: major >= 6 ? file("clip.mp4") : { video: file("clip.mp4"), subtitles: null } }),
  },
  { app: "components", api: "/model3d", shows: "Model3D", input: { path: file("cube.obj"), factor: 2 } },
  { app: "components", api: "/text_kinds", shows: "ColorPicker, Code, Markdown, HTML", input: { color: "#ff0000", code: "print(1)" } },
  { app: "components", api: "/annotate", shows: "AnnotatedImage", input: { img: file("red.png") } },
  { app: "components", api: "/multimodal", shows: "MultimodalTextbox", input: { message: { text: "hello", files: [file("hello.txt")] } } },
  { app: "components", api: "/accumulate", shows: "gr.State (hidden slots)", input: { text: "a" } },
  { app: "components", api: "/unqueued", shows: "an event with queue=False", input: { text: "abc" } },
  { app: "interfaces", api: "/calculate", shows: "gr.Interface", input: { a: 6, op: "mul", b: 7 } },
  { app: "interfaces", api: "/chat", shows: "gr.ChatInterface (hidden State)", input: { message: "hello", prefix: "re: " } },

  // class 1: generators
  { app: "generators", api: "/count", shows: "class 1: a generator (3 yields)", input: { n: 3 } },
  { app: "generators", api: "/grow", shows: "class 1: a generator whose values grow (append diffs)", input: { text: "abc" } },
  { app: "generators", api: "/pairs", shows: "class 1: a generator with two outputs", input: { n: 2 } },
  { app: "generators", api: "/once", shows: "class 1: a generator that yields once", input: { text: "x" } },
  { app: "generators", api: "/images", shows: "class 1: a generator of images", input: { n: 2 } },
  { app: "generators", api: "/chat_stream", shows: "class 1: a streamed Chatbot", input: { message: "a b c" } },

  // class 2: component updates
  { app: "updates", api: "/lock_textbox", shows: "class 2: a component returned (gr.Textbox(interactive=False))", input: { text: "x" } },
  { app: "updates", api: "/set_value", shows: "class 2: gr.update(value=…, visible=…)", input: { text: "x" } },
  { app: "updates", api: "/clear_value", shows: "class 2: gr.update(value=None)", input: { text: "x" } },
  { app: "updates", api: "/new_audio", shows: "class 2: gr.Audio(value=…, label=…) (a file in an update)", input: { n: 2 } },
  { app: "updates", api: "/new_choices", shows: "class 2: gr.Dropdown(choices=…, value=…)", input: { text: "q" } },
  { app: "updates", api: "/value_and_update", shows: "class 2: a value and an update in one result", input: { text: "abc" } },

  // class 3: nulls
  { app: "nulls", api: "/no_image", shows: "class 3: an Image cleared (None)", input: { text: "x" } },
  { app: "nulls", api: "/no_text", shows: "class 3: a Textbox cleared (None)", input: { text: "x" } },
  { app: "nulls", api: "/all_none", shows: "class 3: fifteen components cleared", input: { text: "x" } },

  // class 4: File outputs
  { app: "files", api: "/single_gets_list", shows: "class 4: File() given a list", input: { n: 2 } },
  { app: "files", api: "/single_gets_one", shows: "class 4: File() given one path", input: { n: 2 } },
  { app: "files", api: "/multiple_gets_list", shows: "class 4: File(file_count='multiple') given a list", input: { n: 2 } },
  { app: "files", api: "/multiple_gets_one", shows: "class 4: File(file_count='multiple') given one path", input: { n: 2 } },

  // class 5: NaN and infinities
  {
    app: "tables",
    api: "/echo_table",
    shows: "class 5: a Dataframe with an empty cell",
    input: {
      df: {
        headers: ["a", "b"],
        data: [
          [1, null],
          [2, 3],
        ],
      },
    },
  },
  { app: "tables", api: "/nan_table", shows: "class 5: a Dataframe with NaN, ±Infinity and strings spelling them", input: { n: 4 } },
  { app: "tables", api: "/nan_number", variant: "nan", shows: "class 5: a Number that is NaN", input: { text: "nan" } },
  { app: "tables", api: "/nan_number", variant: "-inf", shows: "class 5: a Number that is -Infinity", input: { text: "-inf" } },
  { app: "tables", api: "/nan_json", shows: "class 5: gr.JSON with NaN (Gradio writes null) and strings", input: { text: 'NaN "Infinity" -Infinity' } },

  // class 6: errors, with show_error=False (errors) and True (errors_shown)
  ...["errors", "errors_shown"].flatMap((app): Case[] => [
    { app, api: "/raise_gr_error", variant: "none", shows: "class 6: no error", input: { text: "" } },
    { app, api: "/raise_gr_error", shows: "class 6: gr.Error", input: { text: "boom" } },
    { app, api: "/raise_plain", shows: "class 6: a plain exception", input: { text: "secret" } },
    { app, api: "/gen_then_gr_error", shows: "class 6: a generator that raises gr.Error", input: { n: 2 } },
    { app, api: "/gen_then_plain", shows: "class 6: a generator that raises a plain exception", input: { n: 2 } },
  ]),

  // class 7: values Gradio cannot serialise
  {
    app: "unserialisable",
    api: "/numpy_scalar",
    shows: "class 7: a numpy scalar returned to a Number",
    input: { n: 3 },
    differs: () => ({ types: NUMPY_AS_STRING }),
  },
  { app: "unserialisable", api: "/numpy_in_json", shows: "class 7: numpy values in gr.JSON (converted by Gradio)", input: { n: 3 } },
  { app: "unserialisable", api: "/nested_component", shows: "class 7: a component object in gr.JSON (str() on both routes)", input: { text: "t" } },
  {
    app: "unserialisable",
    api: "/numpy_in_table",
    shows: "class 7: a numpy scalar in a Dataframe cell",
    input: { n: 3 },
  },
];

export const caseId = (c: Case): string => `${c.app}${c.api}${c.variant ? `#${c.variant}` : ""}`;
export const inputOf = (c: Case, major: number): Record<string, Json> => (typeof c.input === "function" ? c.input(major) : c.input);
