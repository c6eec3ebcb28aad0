// Every bound on what a Space's answers and documents can make the generator do, in one place. Past a bound
// the CLI stops with one line that names it, exit 2, and writes nothing; under them a module is at most a
// few hundred times its document's size and is generated in well under a minute.
//
// Generous for real Spaces: the largest shared fixture (../shared/fixtures) is a 65 KB /info with 33
// parameters, and no real document seen expands to more than 153 schema nodes (0.01 per character of its
// JSON); real /config documents run to a few MB (layouts, examples, CSS); the hostile corpus (test/hostile/)
// must still generate: a 5 MB /info, 2000 endpoints, a 50,000-value enum, 1000-deep schemas. Measured on
// this project's two shared cores: 20,000 parameters take ~10 s, 200,000 schema nodes ~60 s, a 26 MB
// default ~30 s; the caps below keep the worst case well under a minute.

const MiB = 1024 * 1024;

export const LIMITS = {
  /** an /info answer or a document read from disk (snapshot or raw /info) */
  documentBytes: 16 * MiB,
  /** a /config answer: only components and dependencies are kept, but layouts embed examples and values */
  configBytes: 64 * MiB,
  /** any other answer (the Hub API, agents.md, a login) */
  answerBytes: 4 * MiB,
  /** one request, first byte to last: a server that trickles its body does not hold the CLI for ever */
  requestMs: 120_000,
  /** endpoints in one /info */
  endpoints: 5_000,
  /** parameters and returns of all endpoints together (each is one type rendering, ~0.5 ms) */
  slots: 20_000,
  /** slots of the dependencies behind the endpoints, hidden ones included (each is one entry of a spec) */
  wireSlots: 200_000,
  /** components and dependencies in one /config */
  components: 200_000,
  dependencies: 50_000,
  /**
   * Schema nodes after $ref expansion, per document: the larger of a floor and a multiple of the document's
   * own size (its JSON text), so a small document cannot expand a cycle-free fan of $refs into megabytes.
   */
  schemaNodesFloor: 5_000,
  schemaNodesPerByte: 0.1,
  schemaNodesMax: 100_000,
  /** a parameter default in an agent tool descriptor, as JSON text (larger ones are left out of it) */
  toolDefaultChars: 16 * 1024,
  /** nodes of one value (a default, a tool schema) written as an object literal; the rest as JSON.parse text */
  literalNodes: 20_000,
} as const;

export const describeBytes = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${Math.round(bytes / 1024)} KiB`);

/** The request deadline, overridable for tests (SPACEGEN_HTTP_DEADLINE_MS). */
export function requestDeadlineMs(): number {
  const raw = Number(process.env.SPACEGEN_HTTP_DEADLINE_MS);
  return Number.isFinite(raw) && raw > 0 ? raw : LIMITS.requestMs;
}
