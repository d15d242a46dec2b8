/** The last line of a human assignment answer (cli/assignment-basis.ts). */
import { expect, it } from 'vitest';
import { assignmentBasisLine } from '../../cli/assignment-basis';

const now = new Date('2026-05-01T12:00:00Z');
const edge = (observedAt: string) => ({
  policyType: 'deviceConfiguration' as const,
  externalId: observedAt,
  assignmentsObservedAt: new Date(observedAt),
  typeCompleteWhenObserved: true,
  assignmentsOutdated: false,
});

it('names one time when the edges were observed at instants that read the same', () => {
  expect(assignmentBasisLine([edge('2026-05-01T11:59:08.100Z'), edge('2026-05-01T11:59:08.900Z')], now)).toBe(
    'edges observed 51 s ago',
  );
});

it('names the range when they read differently', () => {
  expect(assignmentBasisLine([edge('2026-05-01T09:00:00Z'), edge('2026-05-01T11:59:09Z')], now)).toBe(
    'edges observed from 3 h ago to 51 s ago',
  );
});
