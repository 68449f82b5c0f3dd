import { describe, expect, it } from 'vitest';
import { MODELS } from '../../src/models/index.js';
import { orderModels, selectModels } from '../../src/pipeline/graph.js';
import type { Model } from '../../src/pipeline/model.js';
import { StediError } from '../../src/errors.js';

const names = (models: readonly Model[]): string[] => models.map((m) => m.name);

describe('job graph', () => {
  it('runs every job after the jobs whose outputs it reads, whatever the declared order', () => {
    const ordered = orderModels([...MODELS].reverse());
    for (const [i, model] of ordered.entries()) {
      for (const input of model.inputs) {
        const producer = ordered.findIndex((m) => m.output === input);
        if (producer !== -1) expect(producer).toBeLessThan(i);
      }
    }
    expect(names(ordered)).toHaveLength(5);
  });

  it('selects jobs in dependency order and rejects unknown names', () => {
    expect(names(selectModels(MODELS, ['machine_learning_curated', 'customer_landing_to_trusted']))).toEqual([
      'customer_landing_to_trusted',
      'machine_learning_curated',
    ]);
    expect(() => selectModels(MODELS, ['nope'])).toThrow(StediError);
  });

  it('refuses a cycle', () => {
    const a = { ...MODELS[0]!, name: 'a', output: 'customer_trusted', inputs: ['customer_curated'] } as Model;
    const b = { ...MODELS[0]!, name: 'b', output: 'customer_curated', inputs: ['customer_trusted'] } as Model;
    expect(() => orderModels([a, b])).toThrow(/cycle/);
  });
});
