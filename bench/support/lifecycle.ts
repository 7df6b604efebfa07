/**
 * Everything a benchmark starts (Postgres, servers, child processes, pools) is stopped, in reverse order, on
 * success, error, SIGINT/SIGTERM or when the run exceeds its time limit: a benchmark must never leave a Postgres or
 * a server behind, nor run for an hour because something regressed.
 */
import { errorText, progress, secondsSinceStart } from './cli.ts';

export type Lifecycle = {
  /** Registers something to stop at the end (stopped last-registered first). */
  defer(what: string, run: () => Promise<void>): void;
  /** Stops everything registered so far (idempotent: later calls wait for the first). */
  cleanUp(): Promise<void>;
  /** True once a signal or the watchdog started tearing down: failures after that are expected, not news. */
  readonly aborting: boolean;
  /** Cancels the watchdog (call it after cleanUp at the very end). */
  dispose(): void;
};

export const createLifecycle = ({ timeoutMs }: { readonly timeoutMs: number }): Lifecycle => {
  const cleanups: Array<{ readonly what: string; readonly run: () => Promise<void> }> = [];
  let cleaning: Promise<void> | undefined;
  let aborting = false;

  const cleanUp = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const { what, run } of cleanups.reverse()) {
        try {
          await run();
        } catch (error) {
          progress(`cleanup: stopping ${what} failed: ${errorText(error)}`);
        }
      }
    })();
    return cleaning;
  };

  const abort = (why: string, code: number): void => {
    aborting = true;
    progress(`${why}: stopping everything this run started`);
    void cleanUp().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('SIGINT', 130));
  process.once('SIGTERM', () => abort('SIGTERM', 143));
  const watchdog = setTimeout(() => abort(`timed out after ${Math.round(timeoutMs / 1000)} s`, 1), timeoutMs);
  watchdog.unref();

  return {
    defer: (what, run) => void cleanups.push({ what, run }),
    cleanUp,
    get aborting() {
      return aborting;
    },
    dispose: () => clearTimeout(watchdog),
  };
};

/**
 * Runs a benchmark's `main` to the end: a failure sets exit code 1 (after a signal or the watchdog, in-flight work
 * fails as its server goes away, which is not news), and everything it started is stopped either way.
 */
export const runToTheEnd = async (lifecycle: Lifecycle, main: () => Promise<void>): Promise<void> => {
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    if (!lifecycle.aborting) progress(`error: ${errorText(error)}`);
  } finally {
    await lifecycle.cleanUp();
    lifecycle.dispose();
    progress(`done in ${secondsSinceStart().toFixed(1)} s`);
  }
};
