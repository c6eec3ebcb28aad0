// The intermediate representation: one plain data model of an app's API that the emitter reads.
// Normalization (normalize.ts) builds it from a snapshot; nothing downstream looks at raw documents.

// The safe schema's vocabulary (safe-schema.ts builds it; emit renders it).
export type SafeSchema = Record<string, unknown>;
/**
 * Where files sit inside a value; the runtime's FilePlan (templates/runtime.ts): `i` each array item, `p` these
 * properties (0: declared without files, so that `a` skips it), `a` every other property (additionalProperties).
 */
export type FilePlan = 1 | { i?: FilePlan; p?: [string, FilePlan | 0][]; a?: FilePlan };

/** Marker key for a file position; rendered as FileInput (inputs) or FileData (outputs). */
export const FILE = "x-spacegen-file";

/** Marker key for "any other string" beside a list of choices; rendered as `(string & {})`, which keeps completion. */
export const ANY_STRING = "x-spacegen-any-string";

export interface ApiIR {
  space: {
    /** Hugging Face Space id, or null for a plain URL */
    id: string | null;
    /** root URL of the app */
    url: string;
    apiPrefix: string;
    gradioVersion: string | null;
    schemaHash: string;
  };
  /** false when generated from a raw /info without /config: hidden slots and generator flags unknown */
  hasSlotLayout: boolean;
  /** whether POST {prefix}/cancel exists (Gradio >= 4.31; assumed when the version is unknown) */
  canCancel: boolean;
  /**
   * whether calls go through the queue transport by default: the app speaks the sse_v3 queue protocol (Gradio >=
   * 4.22) and /config gave every endpoint's fn_index and slot layout
   */
  queue: boolean;
  /** whether queue calls ask for generator values whole, not as diffs (quirks.ts wholeGeneratorValues: Gradio < 6.27) */
  wholeValues: boolean;
  endpoints: EndpointIR[];
  /** warnings for the user, also kept in the module banner where they concern its use */
  warnings: string[];
}

export interface EndpointIR {
  /** "/predict" — the key of the `endpoints` map */
  apiName: string;
  /** "predict" — the path segment of /call/{name} */
  wireName: string;
  // Names allocated by the naming pass (names.ts ModuleNames): emit, inspect, drift and the tools read them.
  /** the endpoint function */
  functionName: string;
  /** the interface of its input object */
  inputType: string;
  /** the type of its result */
  outputType: string;
  /** the agent tool's name */
  toolName: string;
  description: string;
  visibility: "public" | "undocumented";
  /** dependency id from /config; -1 when unknown */
  fnIndex: number;
  /** null when unknown (no /config) */
  generator: boolean | null;
  /** whether the dependency has a gr.State input or output: each call then runs in a session of its own */
  stateful: boolean;
  /** every input wire slot; null = hidden (gr.State, Button), always sent as null */
  inputSlots: (ParamIR | null)[];
  /** every output wire slot; null = hidden, dropped from results */
  outputSlots: (ReturnIR | null)[];
  params: ParamIR[];
  returns: ReturnIR[];
  /** labels of the output tuple's elements, for several returns */
  returnLabels: string[];
}

export interface ParamIR {
  /** the key of the input object: parameter_name verbatim */
  key: string;
  label: string;
  component: string;
  schema: SafeSchema;
  files: FilePlan | null;
  hasDefault: boolean;
  default: unknown;
  hasExample: boolean;
  example: unknown;
  /** additional_description / python_type description */
  description: string;
  /** Slider range parsed from the schema's description */
  range: { min: number; max: number } | null;
  /** a Dropdown with allow_custom_value: its choices are suggestions, any string is accepted */
  customValues: boolean;
}

export interface ReturnIR {
  label: string;
  component: string;
  schema: SafeSchema;
  files: FilePlan | null;
  description: string;
}
