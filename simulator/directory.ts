/**
 * A tenant's Entra groups, the ones its assignments target: a seeded set of 12–40 security
 * groups with GUID ids and unicode names, shaped like Graph's `group` (only properties
 * graph-metadata declares for it; test/unit/simulator-assignments.test.ts checks).
 */
import { intBetween, pick, seededGuid, type Rng } from './random';
import { BASE_TIME, DAY_MS, isoDate } from './datasets/shared';

export interface DirectoryGroup {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly createdDateTime: string;
  readonly groupTypes: readonly string[];
  readonly mailEnabled: boolean;
  readonly mailNickname: string;
  readonly securityEnabled: boolean;
  readonly membershipRule: string | null;
  readonly membershipRuleProcessingState: string | null;
}

const GROUP_COUNT_RANGE = [12, 40] as const;

const AUDIENCES = [
  'Alle Geräte',
  'Finance – Zürich',
  'Ventes – Société',
  'Pilot ring 🧪',
  'Kraków – IT',
  '東京オフィス',
  'Αθήνα – Sales',
  'Москва – Support',
  'São Paulo – Field',
  'İstanbul – Ops',
  'Windows 11 devices',
  'macOS fleet',
  'iOS kiosks',
  'Android Enterprise',
] as const;

/** The tenant's groups: between 12 and 40, drawn from `rng`. */
export function generateGroups(rng: Rng): DirectoryGroup[] {
  const count = intBetween(rng, ...GROUP_COUNT_RANGE);
  return Array.from({ length: count }, (_, i) => {
    const dynamic = rng() < 0.3;
    const nickname = `grp-${i + 1}-${intBetween(rng, 100, 999)}`;
    return {
      id: seededGuid(rng),
      displayName: `${pick(rng, AUDIENCES)} ${i + 1}`,
      description: rng() < 0.5 ? null : 'Intune assignment group',
      createdDateTime: isoDate(BASE_TIME + intBetween(rng, 0, 700) * DAY_MS),
      groupTypes: dynamic ? ['DynamicMembership'] : [],
      mailEnabled: false,
      mailNickname: nickname,
      securityEnabled: true,
      membershipRule: dynamic ? '(device.deviceOSType -eq "Windows")' : null,
      membershipRuleProcessingState: dynamic ? 'On' : null,
    };
  });
}
