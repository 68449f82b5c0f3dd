/**
 * The secret behind subject_id. It comes from STEDI_PSEUDONYM_KEY; only the demo may fall back to
 * a built-in key, so that a real run can never publish pseudonyms anyone could recompute.
 */
import { StediError } from '../errors.js';

export const PSEUDONYM_KEY_ENV = 'STEDI_PSEUDONYM_KEY';
const MIN_KEY_LENGTH = 16;

/** Public, so its pseudonyms protect nothing: for demo lakes only. */
export const DEMO_PSEUDONYM_KEY = 'stedi-demo-key-not-secret';

export function resolvePseudonymKey(value: string | undefined): Buffer {
  if (value === undefined || value === '') {
    throw new StediError('MISSING_KEY', `${PSEUDONYM_KEY_ENV} is not set: the machine-learning table needs a secret pseudonym key`, {
      hint: `export ${PSEUDONYM_KEY_ENV}=$(openssl rand -hex 32), and keep it: the same key gives the same subject_id`,
    });
  }
  if (value.length < MIN_KEY_LENGTH) {
    throw new StediError('MISSING_KEY', `${PSEUDONYM_KEY_ENV} is too short (${value.length} characters; at least ${MIN_KEY_LENGTH})`);
  }
  return Buffer.from(value, 'utf8');
}
