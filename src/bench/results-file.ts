/**
 * bench/RESULTS.md holds one section per benchmark between `<!-- NAME:begin -->` and
 * `<!-- NAME:end -->`; each benchmark rewrites only its own section.
 */
import fs from 'node:fs/promises';

export async function replaceSection(file: string, name: string, body: string): Promise<void> {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  const current = await fs.readFile(file, 'utf8').catch(() => '# Benchmark results\n');
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next =
    start !== -1 && stop > start
      ? `${current.slice(0, start)}${block}${current.slice(stop + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  await fs.writeFile(file, next);
}
