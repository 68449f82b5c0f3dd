/**
 * Local paths <-> Trino locations. The Hive catalog's native local file system maps `local:///x`
 * to `<fsRoot>/x`; the runner names files by local path, Trino's "$path" names them by location.
 */
import path from 'node:path';
import { StediError } from '../../errors.js';

export const LOCAL_SCHEME = 'local:///';

export function toLocation(absPath: string, fsRoot: string): string {
  const rel = path.relative(path.resolve(fsRoot), path.resolve(absPath));
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new StediError('CONFIG', `${absPath} is outside the Trino file-system root ${fsRoot}`, {
      hint: 'the lake must be under the folder the server\'s local.location points at (STEDI_TRINO_FS_ROOT)',
    });
  }
  return `${LOCAL_SCHEME}${rel.split(path.sep).join('/')}`;
}

/** The local folder prefix that replaces `local:///` in a location (ends with a separator). */
export function localPrefix(fsRoot: string): string {
  const root = path.resolve(fsRoot);
  return root.endsWith(path.sep) ? root : `${root}${path.sep}`;
}
