/**
 * The DuckDB dialect reads most landing lines the fast way (canonical lines: one typed
 * json_transform) and the rest the exact way. The fast way must never change a verdict: for lines
 * built to sit right at its edges (types DuckDB would cast, tokens it tolerates and JSON does not,
 * nulls it invents), the landing step must agree with the contract as the ingestion service
 * applies it in plain TypeScript (JSON.parse + checkLandingRecord), line by line.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLandingRecord } from '../../src/contracts/landing.js';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.js';
import { LakeLayout } from '../../src/lake/layout.js';
import type { LandingSource } from '../../src/lake/tables.js';
import { prepareLanding } from '../../src/pipeline/landing.js';
import { tempDir } from '../helpers/lake-files.js';

const NOW = Date.UTC(2026, 0, 15);
const T = NOW - 86_400_000;

const ACCELEROMETER = `{"user":"jo@x.com","timestamp":${T},"x":0.5,"y":-1,"z":2.25}`;
const STEP = `{"sensorReadingTime":${T},"serialNumber":"s-1","distanceFromObject":3}`;
const CUSTOMER = `{"customerName":"Jo","email":"jo@x.com","phone":"1","birthDay":"1990-01-01","serialNumber":"s-1","registrationDate":${T},"lastUpdateDate":${T},"shareWithResearchAsOfDate":${T},"shareWithPublicAsOfDate":null,"shareWithFriendsAsOfDate":null}`;

/** `line` with the text of one value replaced (`"key":<old>` -> `"key":<value>`). */
function withValue(line: string, key: string, value: string): string {
  const changed = line.replace(new RegExp(`"${key}":("[^"]*"|[^,}]*)`), `"${key}":${value}`);
  if (changed === line) throw new Error(`no ${key} in ${line}`);
  return changed;
}

const LINES: Record<LandingSource, string[]> = {
  accelerometer: [
    ACCELEROMETER,
    ACCELEROMETER.replaceAll(',', ', ').replaceAll(':', ': '),
    `${ACCELEROMETER}\r`,
    withValue(ACCELEROMETER, 'x', '"0.5"'),
    withValue(ACCELEROMETER, 'timestamp', `"${T}"`),
    withValue(ACCELEROMETER, 'timestamp', `${T}.5`),
    withValue(ACCELEROMETER, 'timestamp', `${T / 1000}e3`),
    withValue(ACCELEROMETER, 'user', '12'),
    withValue(ACCELEROMETER, 'user', '{"a":1}'),
    withValue(ACCELEROMETER, 'user', '["jo@x.com"]'),
    withValue(ACCELEROMETER, 'user', '"jo\\"q@x.com"'),
    withValue(ACCELEROMETER, 'user', '"\\u006ao@x.com"'),
    withValue(ACCELEROMETER, 'user', '"true.love@x.com"'),
    withValue(ACCELEROMETER, 'user', '"not-an-email"'),
    withValue(ACCELEROMETER, 'user', '"not\\u002dan-email"'),
    withValue(ACCELEROMETER, 'user', '"also\\tnot@x.com"'),
    withValue(ACCELEROMETER, 'x', 'true'),
    withValue(ACCELEROMETER, 'x', 'false'),
    withValue(ACCELEROMETER, 'y', 'true'),
    withValue(ACCELEROMETER, 'z', 'false'),
    withValue(ACCELEROMETER, 'x', '1'),
    withValue(ACCELEROMETER, 'y', '0'),
    withValue(withValue(ACCELEROMETER, 'x', '1'), 'user', '"true.love@x.com"'),
    withValue(ACCELEROMETER, 'x', 'null'),
    withValue(ACCELEROMETER, 'x', '{}'),
    withValue(ACCELEROMETER, 'x', '[]'),
    withValue(ACCELEROMETER, 'x', '[1]'),
    withValue(ACCELEROMETER, 'x', 'NaN'),
    withValue(ACCELEROMETER, 'x', 'nan'),
    withValue(ACCELEROMETER, 'x', 'inf'),
    withValue(ACCELEROMETER, 'y', '-inf'),
    withValue(ACCELEROMETER, 'z', 'INFINITY'),
    withValue(ACCELEROMETER, 'x', '[1,nan]'),
    withValue(ACCELEROMETER, 'x', '[1,\t]'),
    withValue(ACCELEROMETER, 'z', '-Infinity'),
    withValue(ACCELEROMETER, 'z', '1e999'),
    withValue(ACCELEROMETER, 'x', '-0'),
    withValue(ACCELEROMETER, 'x', '1.50'),
    withValue(ACCELEROMETER, 'x', '1E-7'),
    ACCELEROMETER.replace('}', ',}'),
    ACCELEROMETER.replace('}', ', }'),
    ACCELEROMETER.replace('}', ',\t}'),
    ACCELEROMETER.replace('}', ' ,}'),
    ACCELEROMETER.replace('}', ' }'),
    ACCELEROMETER.replace('}', '\t}'),
    ACCELEROMETER.replace('2.25', '2.25,3'),
    ACCELEROMETER.replace('}', ',"extra":1}'),
    ACCELEROMETER.replace('}', ',"extra":"1"}'),
    ACCELEROMETER.replace(',"z":2.25', ''),
    `{"timestamp":${T},"user":"jo@x.com","x":0.5,"y":-1,"z":2.25}`,
    `{"user":"jo@x.com","timestamp":${T},"x":0.5,"y":-1,"z":2.25`,
    '[1,2]',
    '"just a string"',
    'nan',
    ' -Infinity',
  ],
  step_trainer: [
    STEP,
    withValue(STEP, 'distanceFromObject', '-1'),
    withValue(STEP, 'distanceFromObject', '1.5'),
    withValue(STEP, 'distanceFromObject', 'true'),
    withValue(STEP, 'distanceFromObject', 'false'),
    withValue(STEP, 'distanceFromObject', '1'),
    withValue(STEP, 'distanceFromObject', '0'),
    withValue(STEP, 'distanceFromObject', 'NaN'),
    withValue(STEP, 'sensorReadingTime', 'Infinity'),
    withValue(STEP, 'distanceFromObject', '"3"'),
    withValue(STEP, 'serialNumber', '" "'),
    withValue(STEP, 'serialNumber', '7'),
    STEP.replace('}', ',}'),
    STEP.replace('}', ' ,}'),
    STEP.replace('}', ', }'),
  ],
  customer: [
    CUSTOMER,
    withValue(CUSTOMER, 'shareWithPublicAsOfDate', '{}'),
    withValue(CUSTOMER, 'shareWithPublicAsOfDate', '[]'),
    withValue(CUSTOMER, 'shareWithPublicAsOfDate', 'true'),
    withValue(CUSTOMER, 'shareWithFriendsAsOfDate', 'false'),
    withValue(CUSTOMER, 'shareWithFriendsAsOfDate', '1'),
    withValue(CUSTOMER, 'shareWithPublicAsOfDate', 'NaN'),
    withValue(CUSTOMER, 'shareWithFriendsAsOfDate', '-Infinity'),
    withValue(CUSTOMER, 'shareWithResearchAsOfDate', 'Infinity'),
    withValue(CUSTOMER, 'shareWithPublicAsOfDate', '"null"'),
    withValue(CUSTOMER, 'shareWithFriendsAsOfDate', `${T}`),
    withValue(CUSTOMER, 'shareWithResearchAsOfDate', 'null'),
    CUSTOMER.replace(',"shareWithFriendsAsOfDate":null', ''),
    CUSTOMER.replace('null}', 'null,}'),
    CUSTOMER.replace('null}', 'null }'),
    CUSTOMER.replace('null}', 'null, }'),
    withValue(CUSTOMER, 'phone', '5551212'),
    withValue(CUSTOMER, 'lastUpdateDate', '"yesterday"'),
  ],
};

/** The verdict of the TypeScript contract: the rule a line breaks, or 'valid'. */
function contractVerdict(source: LandingSource, line: string): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'invalid_json';
  }
  return checkLandingRecord(source, value, NOW)?.rule ?? 'valid';
}

describe('DuckDB landing parse: canonical lines and the exact way agree with the contract', () => {
  for (const source of ['accelerometer', 'step_trainer', 'customer'] as const) {
    it(`${source}: every edge line gets the contract's verdict`, async () => {
      const lake = await tempDir(`canonical-${source}`);
      const layout = new LakeLayout(lake);
      await fs.mkdir(layout.landingDir(source), { recursive: true });
      await fs.writeFile(path.join(layout.landingDir(source), `${source}-1.json`), `${LINES[source].join('\n')}\n`);
      const engine = await DuckDbEngine.open();
      try {
        const landing = await prepareLanding(engine, layout, source, { nowMillis: NOW });
        const quarantined = await engine.query<{ line: bigint; rule: string }>(
          `SELECT line_number AS line, rule FROM "${landing.quarantineRelation}"`,
        );
        const byLine = new Map(quarantined.map((r) => [Number(r.line), r.rule]));
        const verdicts = LINES[source].map((line, i) => [line, byLine.get(i + 1) ?? 'valid']);
        const expected = LINES[source].map((line) => [line, contractVerdict(source, line.replace(/\r$/, ''))]);
        expect(verdicts).toEqual(expected);
        expect(landing.rows).toBe(expected.filter(([, v]) => v === 'valid').length);
      } finally {
        await engine.close();
      }
    });
  }
});
