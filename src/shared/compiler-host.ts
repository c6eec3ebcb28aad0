// The TypeScript compiler over files in memory: `--js` compiles a module with it (output/javascript.ts) and
// `--check` compares two modules' types with it (check/drift.ts). Loaded only by those commands.

import ts from "typescript";

let libCache: Map<string, ts.SourceFile> | undefined;

/** A compiler host serving `files` from memory and the default libraries from disk (cached). */
export function memoryHost(files: Map<string, string>, options: ts.CompilerOptions, written?: Map<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const cache = (libCache ??= new Map<string, ts.SourceFile>());
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = files.get(fileName);
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    const cached = cache.get(fileName);
    if (cached) return cached;
    const file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (file) cache.set(fileName, file);
    return file;
  };
  host.fileExists = (fileName) => files.has(fileName) || ts.sys.fileExists(fileName);
  host.readFile = (fileName) => files.get(fileName) ?? ts.sys.readFile(fileName);
  host.writeFile = (fileName, text) => written?.set(fileName, text);
  host.getCurrentDirectory = () => "/";
  return host;
}
