/**
 * The few file-system steps durability rests on. A write is durable only after fsync of the file,
 * and a new, renamed or removed directory entry only after fsync of the directory that holds it.
 */
import { open, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `content` so a reader (or a crash) sees the old file or the new one, never half. */
export async function writeFileAtomically(file: string, content: string, mode = 0o644): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temp, content, { mode });
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await fsyncDirectory(path.dirname(file));
}
