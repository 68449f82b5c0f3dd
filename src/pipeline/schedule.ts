/**
 * Runs a run's steps (landing sources, jobs) on the engine's sessions: each session takes one step
 * at a time, a step starts once the steps it reads from are done, and among the ready steps the
 * first in list order goes first. Independent work overlaps: on DuckDB the customer job's many
 * small, mostly single-threaded statements run while the accelerometer landing keeps both cores
 * busy. With one session the steps run one after another, in list order.
 */
export interface Task<S> {
  readonly name: string;
  /** Names of the tasks that must be done before this one starts. */
  readonly after: readonly string[];
  run(session: S): Promise<void>;
}

/**
 * Run every task. After a failure no further task starts; once the running ones have settled,
 * the failure of the first failed task in list order is thrown (the same one however the
 * sessions raced, when tasks started together fail together).
 */
export async function runTasks<S>(tasks: readonly Task<S>[], sessions: readonly S[]): Promise<void> {
  const names = new Set(tasks.map((t) => t.name));
  for (const task of tasks) {
    const unknown = task.after.filter((d) => !names.has(d));
    if (unknown.length) throw new Error(`task ${task.name} waits for unknown task(s) ${unknown.join(', ')}`);
  }
  if (sessions.length === 0) throw new Error('no session to run tasks on');
  const started = new Set<string>();
  const done = new Set<string>();
  let running = 0;
  // In an object: set by one session while another awaits (no narrowing across awaits).
  const failed: { first?: { error: unknown; index: number } } = {};
  const fail = (error: unknown, index: number): void => {
    if (!failed.first || index < failed.first.index) failed.first = { error, index };
  };
  // Sessions with nothing ready wait here until some task ends.
  let wake: () => void = () => undefined;
  let taskEnded = new Promise<void>((resolve) => (wake = resolve));
  const signal = (): void => {
    const resolve = wake;
    taskEnded = new Promise<void>((r) => (wake = r));
    resolve();
  };

  const serve = async (session: S): Promise<void> => {
    while (!failed.first) {
      const next = tasks.find((t) => !started.has(t.name) && t.after.every((d) => done.has(d)));
      if (!next) {
        if (started.size === tasks.length) return;
        if (running === 0) {
          const waiting = tasks.filter((t) => !started.has(t.name)).map((t) => t.name);
          fail(new Error(`tasks wait for each other: ${waiting.join(', ')}`), tasks.length);
          signal();
          return;
        }
        await taskEnded;
        continue;
      }
      started.add(next.name);
      running++;
      try {
        await next.run(session);
        done.add(next.name);
      } catch (error) {
        fail(error, tasks.indexOf(next));
      } finally {
        running--;
        signal();
      }
    }
  };
  await Promise.all(sessions.map(serve));
  if (failed.first) throw failed.first.error;
}
