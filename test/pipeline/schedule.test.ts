/**
 * The task scheduler of a run: dependencies respected, independent tasks overlapping on two
 * sessions, list order among ready tasks, and failures reported the same way however sessions race.
 */
import { describe, expect, it } from 'vitest';
import { runTasks, type Task } from '../../src/pipeline/schedule.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Tasks that log when they start and end (and on which session), taking `ms` each. */
function tracked(specs: readonly { name: string; after?: string[]; ms: number; fails?: boolean }[]) {
  const log: string[] = [];
  const tasks: Task<string>[] = specs.map((spec) => ({
    name: spec.name,
    after: spec.after ?? [],
    run: async (session) => {
      log.push(`start ${spec.name} on ${session}`);
      await pause(spec.ms);
      if (spec.fails) throw new Error(`${spec.name} failed`);
      log.push(`end ${spec.name}`);
    },
  }));
  return { log, tasks };
}

describe('runTasks', () => {
  it('runs one task at a time in list order on one session, each after what it waits for', async () => {
    const { log, tasks } = tracked([
      { name: 'job', after: ['landing-b'], ms: 1 },
      { name: 'landing-a', ms: 5 },
      { name: 'landing-b', ms: 1 },
    ]);
    await runTasks(tasks, ['s1']);
    expect(log).toEqual(['start landing-a on s1', 'end landing-a', 'start landing-b on s1', 'end landing-b', 'start job on s1', 'end job']);
  });

  it('overlaps independent tasks on two sessions and starts a task as soon as its inputs are done', async () => {
    const { log, tasks } = tracked([
      { name: 'long', ms: 60 },
      { name: 'short', ms: 5 },
      { name: 'after-short', after: ['short'], ms: 5 },
      { name: 'after-both', after: ['long', 'after-short'], ms: 1 },
    ]);
    await runTasks(tasks, ['s1', 's2']);
    expect(log.slice(0, 2)).toEqual(['start long on s1', 'start short on s2']);
    // after-short runs while long still runs; after-both waits for long.
    const started = (name: string): number => log.findIndex((l) => l.startsWith(`start ${name} on`));
    expect(log).toContain('start after-short on s2');
    expect(started('after-short')).toBeLessThan(log.indexOf('end long'));
    expect(started('after-both')).toBeGreaterThan(log.indexOf('end long'));
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(4);
  });

  it('starts nothing after a failure, lets running tasks settle, and throws the first failed task in list order', async () => {
    const { log, tasks } = tracked([
      { name: 'slow-fail', ms: 30, fails: true },
      { name: 'fast-fail', ms: 1, fails: true },
      { name: 'never', after: ['fast-fail'], ms: 1 },
      { name: 'also-never', ms: 1 },
    ]);
    await expect(runTasks(tasks, ['s1', 's2'])).rejects.toThrow('slow-fail failed');
    expect(log).toEqual(['start slow-fail on s1', 'start fast-fail on s2']);
  });

  it('refuses tasks waiting for an unknown task, and reports tasks waiting for each other', async () => {
    await expect(runTasks(tracked([{ name: 'a', after: ['nope'], ms: 1 }]).tasks, ['s1'])).rejects.toThrow(/unknown task\(s\) nope/);
    const cycle = tracked([
      { name: 'a', after: ['b'], ms: 1 },
      { name: 'b', after: ['a'], ms: 1 },
    ]);
    await expect(runTasks(cycle.tasks, ['s1', 's2'])).rejects.toThrow(/wait for each other: a, b/);
  });
});
