import { createHash } from 'node:crypto';

/** Independent MD5 for assertions (node:crypto, not the generator's helper). */
export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
