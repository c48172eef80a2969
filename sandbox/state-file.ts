import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';

/** How long after a change the state is written, so a burst of requests costs one write. */
const defaultDebounceMs = 250;

/** Dates (the BigCommerce sandbox's records hold them) are written as `{ "$date": ISO }` and read back as Dates. */
function tagDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Date ? { $date: original.toISOString() } : value;
}

function reviveDates(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const tagged = (value as { $date?: unknown }).$date;
  return keys.length === 1 && typeof tagged === 'string' ? new Date(tagged) : value;
}

/**
 * A sandbox's state kept in one JSON file, so the vendor's world outlives a restart of
 * `npm start` as a real vendor's would. Writes are atomic (a temporary file renamed over the
 * old one, so a crash mid-write leaves the previous state) and debounced; `flush` writes what is
 * pending at once (on close).
 */
export class SandboxStateFile<Snapshot> {
  private timer: NodeJS.Timeout | undefined;
  private pending = false;

  constructor(
    readonly file: string,
    private readonly snapshot: () => Snapshot,
    private readonly debounceMs = defaultDebounceMs,
  ) {}

  /** The state written last, or undefined when there is none (first start, or after `--fresh`). */
  load(): unknown {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text, reviveDates) as unknown;
    } catch (error) {
      throw new Error(`the sandbox state in ${this.file} is not valid JSON (${(error as Error).message}); delete it or start with --fresh`);
    }
  }

  /** Records that the state changed: written within the debounce delay. */
  changed(): void {
    this.pending = true;
    // Unref'd: a pending write never keeps a stopping process alive (closing flushes it).
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs).unref();
  }

  /** Writes pending changes now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.snapshot(), tagDates));
    renameSync(temporary, this.file);
  }
}

/**
 * Express middleware: after every request but a GET (whose answer, the sandboxes' control reads
 * aside, changes nothing), the state counts as changed. On `close`, so a request whose answer
 * the sandbox drops on purpose (a lost response) is counted too.
 */
export function persistAfterWrites(stateFile: SandboxStateFile<unknown>): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') res.once('close', () => stateFile.changed());
    next();
  };
}

/** Deletes a state file or folder, if there is one (`npm start -- --fresh`): what kept it starts from its seed. */
export function removeLocalState(target: string): void {
  rmSync(target, { recursive: true, force: true });
}
