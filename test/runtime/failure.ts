// The rejection a runtime test expects: a SpaceError, or the test fails.
import { expect } from "vitest";
import { SpaceError } from "../../templates/runtime.ts";

/** The SpaceError `p` rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<SpaceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SpaceError);
    return e as SpaceError;
  }
  throw new Error("expected a rejection");
}
