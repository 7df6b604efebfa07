/**
 * A load generator for the multi-instance tests: `users` virtual users, each running its steps one after another
 * until stopped. A step sends its requests and records what it learnt; whatever a step throws (a transport error, an
 * answer it did not accept) is a failed request, kept with its detail.
 */
export type LoadReport = {
  readonly steps: number;
  readonly failures: readonly string[];
};

export type Load = {
  /** Steps completed so far. */
  readonly steps: () => number;
  /** Lets every user finish its current step, then reports. */
  stop(): Promise<LoadReport>;
};

export const startLoad = (users: number, step: (user: number, iteration: number) => Promise<void>): Load => {
  let running = true;
  let steps = 0;
  const failures: string[] = [];
  const loops = Array.from({ length: users }, async (_, user) => {
    for (let iteration = 0; running; iteration += 1) {
      try {
        await step(user, iteration);
      } catch (error) {
        failures.push(`user ${user}, step ${iteration}: ${error instanceof Error ? error.message : String(error)}`);
      }
      steps += 1;
    }
  });
  return {
    steps: () => steps,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { steps, failures };
    },
  };
};

/** Resolves once `count` more steps have completed (the load is really running through whatever happens now). */
export const stepsPass = async (load: Load, count: number, timeoutMs = 30_000): Promise<void> => {
  const target = load.steps() + count;
  const deadline = Date.now() + timeoutMs;
  while (load.steps() < target) {
    if (Date.now() > deadline) throw new Error(`the load made fewer than ${count} steps in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
