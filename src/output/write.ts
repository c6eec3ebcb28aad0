// Writing outputs: a job's files as one group (every temporary file written first, then each renamed over
// its target), so a generation that fails (a full disk, a read-only folder) changes nothing and one killed
// at any moment leaves each file either old or new. The user's environment failing is a one-line error
// naming the path and the cause, never an internal error.

import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserError } from "../shared/errors.js";
import { displayPath } from "./paths.js";

/** What a file-system error code means, for a message that ends "cannot write x: <cause>". */
const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EFBIG: "the file is too large for the file system",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted",
  EROFS: "the file system is read-only",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a file is where a folder is needed",
  ENAMETOOLONG: "the name is too long for the file system",
  ENOENT: "no such file or folder",
  ELOOP: "too many levels of symbolic links",
  EIO: "an input/output error",
  EBUSY: "the file is busy",
  ETXTBSY: "the file is busy",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EXDEV: "it is on another file system",
  EINVAL: "the file system refused the name",
  ENXIO: "no such device",
};

/** A file-system failure as the one line the user sees: what was done to which path, and why it failed. */
export function fileError(action: string, path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const nul = code === "ERR_INVALID_ARG_VALUE" || code === "ERR_INVALID_ARG_TYPE";
  const cause = nul
    ? "a path cannot contain a NUL byte"
    : code && CAUSES[code]
      ? `${CAUSES[code]} (${code})`
      : (code ?? String((error as Error)?.message ?? error));
  return new UserError(`cannot ${action} ${displayPath(path)}: ${cause}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Most file systems take names of up to 255 bytes. A temporary file's name starts with at most TEMP_PREFIX
// bytes of its target's, so that it fits whenever the target's name does.
const NAME_MAX = 255;
const TEMP_PREFIX = 200;

function tempPrefix(path: string): string {
  const chars = Array.from(basename(path));
  while (Buffer.byteLength(chars.join("")) > TEMP_PREFIX) chars.pop();
  return chars.join("") + ".";
}

/** Removes `<file>.<pid>.<hex>.tmp` left by a generation that was killed (its process is gone). */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (match && Number(match[1]) !== process.pid && !alive(Number(match[1]))) await rm(join(dirname(path), name), { force: true });
  }
}

export interface FileWrite {
  path: string;
  content: string;
  /** a device or a pipe (such as /dev/stdout): written as it is, since nothing can be renamed over it */
  inPlace?: boolean;
}

/**
 * Writes `files` in order. Nothing is replaced until every temporary file is written; then the renames run
 * (the snapshot first, the module last), so a failure before them leaves every file as it was. A rename that
 * fails after others were made puts those back (their old content, or no file where there was none), so a
 * job's module and snapshot stay a pair.
 */
export async function writeFiles(files: FileWrite[]): Promise<void> {
  const temps: { temp: string; path: string }[] = [];
  const renamed: Renamed[] = [];
  const cleanUp = () => Promise.all(temps.map((t) => rm(t.temp, { force: true }).catch(() => {})));
  try {
    for (const file of files) {
      if (file.inPlace) continue;
      if (file.path.includes("\0")) throw fileError("write", file.path, { code: "ERR_INVALID_ARG_VALUE" });
      const folder = dirname(file.path);
      try {
        await mkdir(folder, { recursive: true });
      } catch (error) {
        throw fileError("create the folder", folder, error);
      }
      const existing = await lstat(file.path).catch(() => null);
      if (existing?.isDirectory()) throw fileError("write", file.path, { code: "EISDIR" });
      // Refused before any write: a rename onto it would fail after others had been made.
      if (Buffer.byteLength(basename(file.path)) > NAME_MAX) throw fileError("write", file.path, { code: "ENAMETOOLONG" });
      await removeStaleTemps(file.path);
      const temp = join(folder, `${tempPrefix(file.path)}${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      temps.push({ temp, path: file.path });
      try {
        await writeFile(temp, file.content, "utf8");
      } catch (error) {
        // A name too long for the file system is the target's name (the temporary one only adds to it).
        throw fileError("write", file.path, error);
      }
    }
    for (const file of files) {
      if (file.inPlace) {
        try {
          await writeFile(file.path, file.content, "utf8");
        } catch (error) {
          throw fileError("write", file.path, error);
        }
        continue;
      }
      const { temp } = temps.find((t) => t.path === file.path)!;
      // null: there was no file; undefined: unreadable, so it cannot be put back
      const previous = await readIfExists(file.path).catch(() => undefined);
      try {
        await rename(temp, file.path);
        renamed.push({ path: file.path, previous });
      } catch (error) {
        await putBack(renamed);
        throw fileError("write", file.path, error);
      }
    }
  } finally {
    await cleanUp();
  }
}

interface Renamed {
  path: string;
  /** its content before: null when there was no file, undefined when it could not be read */
  previous: string | null | undefined;
}

/** Undoes renames already made, last first; best effort, since the write has already failed. */
async function putBack(renamed: Renamed[]): Promise<void> {
  for (const { path, previous } of renamed.reverse()) {
    if (previous === null) await rm(path, { force: true }).catch(() => {});
    else if (previous !== undefined) await writeFile(path, previous, "utf8").catch(() => {});
  }
}

export async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw fileError("read", path, error);
  }
}
