/**
 * The demo district's people as the token CLI names them (`npm run token -- --as <name>`). The grid
 * and OA seeds write staff under these subjects in these cells; the list is computed from the same
 * `demoCells()` the seeds use, so a minted token finds its own `gridMe` row and OA inbox without
 * the CLI opening the database.
 */
import { demoCells } from './district';

export interface DemoPerson {
  name: string;
  role: 'district' | 'town' | 'assistant' | 'enterprise' | 'device';
  sub: string;
  cells?: string[];
  enterprise?: string;
  mns?: string[];
  note: string;
}

/** Examples only: the seeds draw enterprises at random, so any USCC from `enterprises` works too. */
const DEMO_ENTERPRISE = { uscc: '91510112629787648C', name: '成都同安表面处理有限公司' };
const DEMO_MN = 'SRC5101120001W';

const three = (n: number): string => String(n).padStart(3, '0');
const two = (n: number): string => String(n).padStart(2, '0');

/** Everyone, in the seed's order: assistants 001..100, town officers 01..12, district officers 01..02. */
export function demoPeople(): DemoPerson[] {
  const cells = demoCells();
  const towns = cells.filter((c) => c.level === 2);
  const villages = cells.filter((c) => c.level === 3);
  const people: DemoPerson[] = [];
  // mirrors modules/grid/seed.ts: 001..050 patrol a town each, 051..100 answer for villages of one town
  for (let k = 1; k <= 50; k += 1) {
    const town = towns[(k - 1) % towns.length] as (typeof towns)[number];
    people.push({ name: `assistant-${three(k)}`, role: 'assistant', sub: `assistant-${three(k)}`, cells: [town.code], note: `网格员，巡查${town.name}` });
  }
  let n = 51;
  towns.forEach((town, i) => {
    const count = i < 2 ? 5 : 4;
    const own = villages.filter((v) => v.parentCode === town.code);
    for (let k = 0; k < count; k += 1) {
      const mine = own.filter((_v, v) => v % count === k);
      people.push({
        name: `assistant-${three(n + k)}`,
        role: 'assistant',
        sub: `assistant-${three(n + k)}`,
        cells: mine.map((v) => v.code),
        note: `网格员，${town.name} ${mine.length} 个村（社区）`,
      });
    }
    n += count;
  });
  towns.forEach((town, i) =>
    people.push({ name: `town-officer-${two(i + 1)}`, role: 'town', sub: `town-officer-${two(i + 1)}`, cells: [town.code], note: `${town.name}环保办` }),
  );
  for (let k = 1; k <= 2; k += 1)
    people.push({ name: `district-officer-${two(k)}`, role: 'district', sub: `district-officer-${two(k)}`, note: '区局网格监管' });
  for (let k = 1; k <= 11; k += 1) people.push({ name: `officer-${three(k)}`, role: 'district', sub: `officer-${three(k)}`, note: '区局 OA 办公人员' });
  people.push({
    name: 'demo-enterprise',
    role: 'enterprise',
    sub: `enterprise-${DEMO_ENTERPRISE.uscc}`,
    enterprise: DEMO_ENTERPRISE.uscc,
    note: DEMO_ENTERPRISE.name,
  });
  people.push({ name: 'demo-device', role: 'device', sub: `device-${DEMO_MN}`, mns: [DEMO_MN], note: `${DEMO_ENTERPRISE.name} 废水排口监测仪` });
  return people;
}

/** A demo person by name, or `enterprise:<USCC>` / `device:<MN>`; undefined when nobody is called that. */
export function demoPerson(name: string): DemoPerson | undefined {
  const enterprise = /^enterprise:(.+)$/.exec(name);
  if (enterprise) return { name, role: 'enterprise', sub: `enterprise-${enterprise[1]}`, enterprise: enterprise[1] as string, note: '' };
  const device = /^device:(.+)$/.exec(name);
  if (device) return { name, role: 'device', sub: `device-${device[1]}`, mns: [device[1] as string], note: '' };
  return demoPeople().find((person) => person.name === name);
}

const ROLE_TITLES: Record<DemoPerson['role'], string> = {
  district: 'district officers',
  town: 'town officers',
  assistant: 'assistants',
  enterprise: 'enterprises',
  device: 'devices',
};

/** `--as list`: a few of each role, enough to pick one; assistants are many and shortened. */
export function demoPeopleListing(): string {
  const people = demoPeople();
  const lines: string[] = ['demo people (npm run -s token -- --as <name>):', ''];
  for (const role of ['district', 'town', 'assistant', 'enterprise', 'device'] as const) {
    const ofRole = people.filter((p) => p.role === role);
    lines.push(`${ROLE_TITLES[role]}:`);
    const shown = role === 'assistant' ? [...ofRole.slice(0, 3), ...ofRole.slice(50, 53)] : ofRole;
    for (const person of shown)
      lines.push(
        `  ${person.name.padEnd(22)} ${person.note}${person.cells ? ` (cells ${person.cells.slice(0, 3).join(', ')}${person.cells.length > 3 ? ', …' : ''})` : ''}`,
      );
    if (role === 'assistant') lines.push('  … assistant-001 .. assistant-100');
    if (role === 'enterprise') lines.push('  enterprise:<USCC>      any demo enterprise (the `enterprises` query lists them)');
    if (role === 'device') lines.push('  device:<MN>            any monitor (e.g. SRC510112NNNNW / G / H)');
    lines.push('');
  }
  return lines.join('\n');
}
