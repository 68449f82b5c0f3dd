/**
 * Orders models by what they read: a model runs after every model whose output it reads.
 * Selecting jobs keeps the declared order among them; inputs produced by unselected jobs are
 * read from their published tables.
 */
import type { Model } from './model.js';
import { StediError } from '../errors.js';

export function orderModels(models: readonly Model[]): Model[] {
  const byOutput = new Map(models.map((m) => [m.output, m]));
  const ordered: Model[] = [];
  const state = new Map<string, 'visiting' | 'done'>();

  const visit = (model: Model, path: string[]): void => {
    const seen = state.get(model.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      throw new StediError('CONFIG', `job graph has a cycle: ${[...path, model.name].join(' -> ')}`);
    }
    state.set(model.name, 'visiting');
    for (const input of model.inputs) {
      const producer = byOutput.get(input);
      if (producer) visit(producer, [...path, model.name]);
    }
    state.set(model.name, 'done');
    ordered.push(model);
  };

  for (const model of models) visit(model, []);
  return ordered;
}

/** The models named in `jobs` (all when absent), in dependency order; unknown names are a usage error. */
export function selectModels(models: readonly Model[], jobs: readonly string[] | undefined): Model[] {
  const ordered = orderModels(models);
  if (!jobs || jobs.length === 0) return ordered;
  const known = new Set(models.map((m) => m.name));
  const unknown = jobs.filter((j) => !known.has(j));
  if (unknown.length > 0) {
    throw new StediError('USAGE', `unknown job ${unknown.map((j) => `'${j}'`).join(', ')}`, {
      hint: `jobs are: ${[...known].join(', ')}`,
    });
  }
  const wanted = new Set(jobs);
  return ordered.filter((m) => wanted.has(m.name));
}
