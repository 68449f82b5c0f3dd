/**
 * `stedi check`: the declared checks on the tables as published, outside any run. The policy is
 * the one the tables were last built with (lenient tables keep readings from before consent by
 * design); customer landing is read for the consent invariant.
 */
import fs from 'node:fs/promises';
import { openEngine, type EngineSettings } from '../engines/index.js';
import { LakeLayout } from '../lake/layout.js';
import { TABLES, type TableName } from '../lake/tables.js';
import type { ModelContext, Policy } from '../pipeline/model.js';
import { prepareLanding } from '../pipeline/landing.js';
import { readRuns } from '../pipeline/run-log.js';
import { resolvePseudonymKey } from '../privacy/pseudonym-key.js';
import { newRunId } from '../pipeline/runner.js';
import { StediError } from '../errors.js';
import { applicableChecks, runChecks, type CheckResult } from './run-checks.js';

export interface LakeCheckReport {
  lake: string;
  policy: Policy;
  results: CheckResult[];
}

export async function checkLake(lake: string, pseudonymKey: string | undefined, engineSettings?: EngineSettings): Promise<LakeCheckReport> {
  const layout = new LakeLayout(lake);
  if (!(await fs.stat(layout.root).catch(() => undefined))?.isDirectory()) {
    throw new StediError('LAKE_MISSING', `lake folder ${layout.root} does not exist`);
  }
  const lastGood = (await readRuns(layout.runLogFile)).filter((r) => r.outcome === 'succeeded').at(-1);
  const policy = lastGood?.policy ?? 'strict';
  const key = pseudonymKey ? resolvePseudonymKey(pseudonymKey) : undefined;
  const engine = await openEngine(engineSettings ?? { engine: 'duckdb' }, { lake: layout.root, runId: newRunId() });
  try {
    const available = new Set<TableName>();
    for (const spec of Object.values(TABLES)) {
      if (spec.zone === 'landing') continue;
      const file = layout.tableFile(spec.name);
      if (await fs.stat(file).catch(() => undefined)) {
        await engine.attachPublished(spec.name, file, spec.name);
        available.add(spec.name);
      }
    }
    if (available.size === 0) {
      throw new StediError('CONFIG', `no published table in ${layout.root}`, { hint: `run 'stedi run --lake ${lake}' first` });
    }
    await prepareLanding(engine, layout, 'customer', { nowMillis: Date.now() });
    available.add('customer_landing');
    const q = engine.dialect;
    const ctx: ModelContext = {
      dialect: q,
      policy,
      ref: (table) => q.ident(table),
      pseudonymKey: () => {
        if (!key) throw new StediError('MISSING_KEY', 'no pseudonym key');
        return key;
      },
    };
    return { lake: layout.root, policy, results: await runChecks(engine, ctx, applicableChecks(available, policy), key !== undefined) };
  } finally {
    await engine.close();
  }
}
