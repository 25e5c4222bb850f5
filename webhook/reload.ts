/**
 * Reloading files that change on disk. Kubernetes updates Secret and ConfigMap volumes by
 * swapping the `..data` symlink, which inotify-based watchers easily miss (the watched file itself
 * never changes; the link above it does), so the files are simply read again every few seconds and
 * compared with what was last seen. A few small reads per interval cost nothing; robust beats clever.
 */
import { readFile } from 'node:fs/promises';

/** What happened on one look at the files. */
export type PollOutcome = 'unchanged' | 'loaded' | 'failed';

/** The files to watch and what to do with their contents. */
export interface PollerOptions<T> {
  files: readonly string[];
  /** Turns the files' texts (in `files` order) into a value; throws to refuse them. */
  load(texts: string[]): T;
  /** Called with each newly loaded value. */
  onLoad(value: T): void;
  /** Called once per distinct failure (a read error or a refused content); the old value stays. */
  onError(err: unknown): void;
}

/**
 * Polls a set of files and loads them whenever their contents change. A refused content is
 * remembered, so a broken file is reported once, not on every look; files read half-way through
 * an update (a new certificate with the old key) are simply refused and loaded on the next look.
 */
export class FilePoller<T> {
  private readonly opts: PollerOptions<T>;
  private seen: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PollOutcome> | undefined;

  /** `initial` is the joined content already loaded at start-up, if any. */
  constructor(opts: PollerOptions<T>, initial?: string[]) {
    this.opts = opts;
    this.seen = initial ? joinTexts(initial) : undefined;
  }

  /** Starts looking every `intervalMs`; the timer does not keep the process alive. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  /** Stops looking. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks at the files now (one look at a time) and returns what happened. */
  check(): Promise<PollOutcome> {
    this.running ??= this.look().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async look(): Promise<PollOutcome> {
    let texts: string[];
    try {
      texts = await Promise.all(this.opts.files.map((f) => readFile(f, 'utf8')));
    } catch (err) {
      const marker = `\0read-error\0${(err as Error).message}`;
      if (this.seen !== marker) this.opts.onError(err);
      this.seen = marker;
      return 'failed';
    }
    const joined = joinTexts(texts);
    if (joined === this.seen) return 'unchanged';
    this.seen = joined;
    let value: T;
    try {
      value = this.opts.load(texts);
    } catch (err) {
      this.opts.onError(err);
      return 'failed';
    }
    this.opts.onLoad(value);
    return 'loaded';
  }
}

function joinTexts(texts: readonly string[]): string {
  return texts.map((t) => `${t.length}:${t}`).join('');
}
