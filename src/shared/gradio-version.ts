// Gradio versions, as /config reports them: the features a module may use depend on them (load, normalize).

/** Compares dotted versions numerically: versionAtLeast("4.44.1", "4.31") → true. */
export function versionAtLeast(version: string | null, minimum: string): boolean {
  if (!version) return true;
  const a = version.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  const b = minimum.split(".").map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
