import { link, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/ingest/journal.js';
import { LandingWriter, type LandingWriterOptions } from '../../src/ingest/landing-writer.js';
import { IngestMetrics } from '../../src/ingest/metrics.js';
import { ingestMetaDir, recoverLanding } from '../../src/ingest/recovery.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { landingFiles, landingLines, makeTestLake, type TestLake } from './helpers.js';

let lake: TestLake;
let layout: LakeLayout;
let journal: Journal;

beforeEach(async () => {
  lake = await makeTestLake();
  layout = new LakeLayout(lake.lake);
  journal = await Journal.open(ingestMetaDir(layout));
});
afterEach(async () => {
  await journal.close();
  await lake.cleanup();
});

function writer(options: Partial<LandingWriterOptions> = {}, metrics = new IngestMetrics({ processMetrics: false })): LandingWriter {
  return new LandingWriter({
    layout,
    journal,
    rotateBytes: 1 << 30,
    rotateAgeMs: 60_000,
    compactJournalBytes: 1 << 30,
    liveKeys: () => [],
    events: metrics.writerEvents(),
    ...options,
  });
}

const line = (i: number): string => `{"n":${i}}\n`;

describe('LandingWriter', () => {
  it('group-commits concurrent appends: many requests share one write and fsync', async () => {
    const metrics = new IngestMetrics({ processMetrics: false });
    const w = writer({}, metrics);
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.append({ source: 'accelerometer', lines: line(i) })));
    const commits = (await metrics.groupCommitRequests.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value;
    expect(commits).toBeLessThanOrEqual(3);
    await w.close();
    expect((await landingLines(lake.lake, 'accelerometer')).sort()).toEqual(Array.from({ length: 50 }, (_, i) => line(i).trim()).sort());
  });

  it('keeps data in a dot-named temporary file until it is published under <source>-<millis>.json', async () => {
    const w = writer();
    await w.append({ source: 'step_trainer', lines: line(1) });
    const [temp, ...others] = await readdir(layout.landingDir('step_trainer'));
    expect(others).toEqual([]);
    expect(temp).toMatch(/^\.ingest-\d+-\d+-\d+\.partial$/);
    await w.close();
    const files = await landingFiles(lake.lake, 'step_trainer');
    expect([...files.keys()]).toEqual([expect.stringMatching(/^step_trainer-\d{13}\.json$/)]);
    expect([...files.values()]).toEqual([line(1)]);
  });

  it('rotates by size into files with unique landing names, never splitting a line', async () => {
    const w = writer({ rotateBytes: 16 });
    for (let i = 0; i < 6; i++) await w.append({ source: 'customer', lines: line(i) + line(i + 100) });
    await w.close();
    const files = await landingFiles(lake.lake, 'customer');
    expect(files.size).toBe(6);
    expect([...files.values()]).toEqual(Array.from({ length: 6 }, (_, i) => line(i) + line(i + 100)));
  });

  it('rotates by age so a quiet source is published without waiting for shutdown', async () => {
    const w = writer({ rotateAgeMs: 100 });
    await w.append({ source: 'accelerometer', lines: line(7) });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect([...(await landingFiles(lake.lake, 'accelerometer')).values()]).toEqual([line(7)]);
    await w.close();
  });
});

describe('journal compaction', () => {
  it('rewrites a grown journal as one snapshot of open files and live keys, which recovery still reads', async () => {
    const key = { scope: 'app:k1', fingerprint: 'f', status: 200, body: { accepted: 1 }, at: Date.now() };
    const w = writer({ compactJournalBytes: 600, liveKeys: () => [key] });
    for (let i = 0; i < 20; i++) await w.append({ source: 'accelerometer', lines: line(i) });
    const entries = (await readFile(journal.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { t: string });
    expect(entries.length).toBeLessThan(6);
    expect(entries[0]).toMatchObject({ t: 'commit', keys: [key], files: [{ source: 'accelerometer' }] });
    // A crash now: recovery must find every committed line from the snapshot and what followed it.
    const report = await recoverLanding(layout, 60_000, Date.now());
    expect(report.keys).toEqual([key]);
    expect(await landingLines(lake.lake, 'accelerometer')).toEqual(Array.from({ length: 20 }, (_, i) => line(i).trim()));
  });
});

describe('recovery', () => {
  async function tempFile(name: string, content: string): Promise<string> {
    const dir = layout.landingDir('accelerometer');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, name), content);
    return name;
  }

  it('cuts a temporary file back to its last commit, drops a torn line, and publishes it', async () => {
    const temp = await tempFile('.ingest-1-1-0.partial', line(1) + line(2) + '{"n":3');
    await journal.append([{ t: 'commit', at: 1, files: [{ source: 'accelerometer', temp, size: line(1).length }], keys: [] }]);
    await journal.append([{ t: 'commit', at: 2, files: [{ source: 'accelerometer', temp, size: 2 * line(1).length }], keys: [] }]);
    await writeFile(journal.file, '{"t":"commit","at":3,"fi', { flag: 'a' });
    const report = await recoverLanding(layout, 1000, Date.now());
    expect(report.truncatedBytes).toBe('{"n":3'.length);
    expect(report.skippedJournalLines).toBe(1);
    expect([...(await landingFiles(lake.lake, 'accelerometer')).values()]).toEqual([line(1) + line(2)]);
  });

  it('drops the last commit entry when its data did not reach the disk, with its idempotency keys', async () => {
    const { crc32 } = await import('node:zlib');
    const first = line(1);
    const second = line(2);
    const temp = await tempFile('.ingest-4-1-0.partial', first + second.slice(0, 3));
    const key = (scope: string) => ({ scope, fingerprint: 'f', status: 200, body: {}, at: Date.now() });
    const entry = (from: string, data: string, scope: string) => ({
      t: 'commit' as const,
      at: 1,
      files: [{ source: 'accelerometer' as const, temp, from: from.length, size: from.length + data.length, crc32: crc32(data) }],
      keys: [key(scope)],
    });
    await journal.append([entry('', first, 'a:first'), entry(first, second, 'a:second')]);
    const report = await recoverLanding(layout, 60_000, Date.now());
    expect(report.keys.map((k) => k.scope)).toEqual(['a:first']);
    expect([...(await landingFiles(lake.lake, 'accelerometer')).values()]).toEqual([first]);
  });

  it('keeps the last commit entry when its data is intact', async () => {
    const { crc32 } = await import('node:zlib');
    const temp = await tempFile('.ingest-5-1-0.partial', line(1) + line(2));
    const files = [{ source: 'accelerometer' as const, temp, from: line(1).length, size: 2 * line(1).length, crc32: crc32(line(2)) }];
    await journal.append([{ t: 'commit', at: 1, files, keys: [] }]);
    await recoverLanding(layout, 60_000, Date.now());
    expect([...(await landingFiles(lake.lake, 'accelerometer')).values()]).toEqual([line(1) + line(2)]);
  });

  it('removes temporary files with nothing committed and ones already published by a link', async () => {
    await tempFile('.ingest-2-1-0.partial', line(1));
    const published = await tempFile('.ingest-3-1-0.partial', line(2));
    await journal.append([{ t: 'commit', at: 1, files: [{ source: 'accelerometer', temp: published, size: line(2).length }], keys: [] }]);
    const dir = layout.landingDir('accelerometer');
    await link(path.join(dir, published), path.join(dir, 'accelerometer-1700000000000.json'));
    const report = await recoverLanding(layout, 1000, Date.now());
    expect(report.removed.sort()).toEqual([path.join('accelerometer', 'landing', '.ingest-2-1-0.partial'), path.join('accelerometer', 'landing', published)]);
    expect(Object.fromEntries(await landingFiles(lake.lake, 'accelerometer'))).toEqual({ 'accelerometer-1700000000000.json': line(2) });
  });

  it('keeps idempotency keys inside the window in a compacted journal', async () => {
    const now = Date.now();
    const key = (scope: string, at: number) => ({ scope, fingerprint: 'f', status: 200, body: { accepted: 1 }, at });
    await journal.append([{ t: 'commit', at: now, files: [], keys: [key('a:old', now - 5000), key('a:new', now - 10)] }]);
    const report = await recoverLanding(layout, 1000, now);
    expect(report.keys.map((k) => k.scope)).toEqual(['a:new']);
    const lines = (await readFile(journal.file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ t: 'commit', at: now, files: [], keys: [key('a:new', now - 10)] }]);
  });
});
