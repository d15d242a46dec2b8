/**
 * simulator/graph-metadata/ is a byte-for-byte copy of ../shared/graph-metadata (Microsoft's
 * metadata, regenerated there and never hand-patched). Where that folder sits next to the
 * checkout, the copies must still be identical; on a clean clone (CI) it is absent and the test
 * says so in its name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAPH_METADATA_DIR } from '../../simulator/graph-metadata';

const SHARED = resolve(__dirname, '../../../shared/graph-metadata');
const FILES = ['README.md', 'beta.json', 'v1.0-entity-types.json'];
const present = existsSync(SHARED);

describe('vendored Graph metadata', () => {
  it.skipIf(!present).each(FILES)(
    present
      ? `%s is byte-identical to ${SHARED}`
      : `%s: skipped, ${SHARED} does not exist next to the checkout`,
    (file) => {
      const vendored = readFileSync(join(GRAPH_METADATA_DIR, file));
      expect(vendored.equals(readFileSync(join(SHARED, file))), `${file} differs from ${SHARED}`).toBe(true);
    },
  );

  it.each(FILES)('%s is vendored', (file) => {
    expect(existsSync(join(GRAPH_METADATA_DIR, file))).toBe(true);
  });
});
