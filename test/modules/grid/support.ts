import { expect } from 'vitest';
import type { TestHub } from '../../support/hub';

type Gql = TestHub['graphql'];

/** A field's value as it came back, failing on any GraphQL error. */
export function result<T = Record<string, unknown>>(response: Awaited<ReturnType<Gql>>, field: string): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return (response.body.data as Record<string, unknown> | undefined)?.[field] as T;
}

/** Unwraps a typed result's success `data`; an error result is returned as it is. */
export function data<T = Record<string, unknown>>(response: Awaited<ReturnType<Gql>>, field: string): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  const value = (response.body.data as Record<string, unknown> | undefined)?.[field] as Record<string, unknown> | null;
  if (value && typeof value === 'object' && '__typename' in value && String(value.__typename).endsWith('Success')) return value.data as T;
  return value as T;
}

/** A square boundary around a point: `half` degrees each way. */
export function square(longitude: number, latitude: number, half: number) {
  const ring = [
    [longitude - half, latitude - half],
    [longitude + half, latitude - half],
    [longitude + half, latitude + half],
    [longitude - half, latitude + half],
    [longitude - half, latitude - half],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}

const RESULT = `__typename ... on Error { message } ... on ValidationError { problems { path message } }`;

interface CellSpec {
  code: string;
  name: string;
  parentCode?: string;
  boundary?: unknown;
  longitude?: number;
  latitude?: number;
}
interface StaffSpec {
  subject: string;
  name: string;
  role: 'ASSISTANT' | 'TOWN_OFFICER' | 'DISTRICT_OFFICER';
  organisationCode?: string;
  phone?: string;
  cells: string[];
}

/**
 * Builds a small grid through the public mutations: cells first, then people and their
 * assignments. `build()` returns the staff global ids by subject.
 */
export class GridFixture {
  readonly #cells: CellSpec[] = [];
  readonly #staff: StaffSpec[] = [];

  constructor(
    private readonly hub: TestHub,
    private readonly adminToken: string,
  ) {}

  area(code: string, name: string): this {
    this.#cells.push({ code, name });
    return this;
  }

  town(code: string, name: string, parentCode: string): this {
    this.#cells.push({ code, name, parentCode });
    return this;
  }

  village(code: string, name: string, parentCode: string, at?: { longitude: number; latitude: number; half: number }): this {
    this.#cells.push({
      code,
      name,
      parentCode,
      ...(at ? { boundary: square(at.longitude, at.latitude, at.half), longitude: at.longitude, latitude: at.latitude } : {}),
    });
    return this;
  }

  assistant(subject: string, name: string, options: { town?: string; cells?: string[]; phone?: string } = {}): this {
    this.#staff.push({ subject, name, role: 'ASSISTANT', organisationCode: options.town, phone: options.phone, cells: options.cells ?? [] });
    return this;
  }

  townOfficer(subject: string, name: string, town: string): this {
    this.#staff.push({ subject, name, role: 'TOWN_OFFICER', organisationCode: town, cells: [] });
    return this;
  }

  async build(): Promise<Map<string, string>> {
    for (const cell of this.#cells) {
      const response = await this.hub.graphql(
        `mutation($input: GridCellInput!) { upsertGridCell(input: $input) { ${RESULT} } }`,
        { input: cell },
        this.adminToken,
      );
      expect(result(response, 'upsertGridCell')).toEqual({ __typename: 'MutationUpsertGridCellSuccess' });
    }
    const ids = new Map<string, string>();
    for (const person of this.#staff) {
      const response = await this.hub.graphql(
        `mutation($input: GridStaffInput!) { createGridStaff(input: $input) { ${RESULT} ... on MutationCreateGridStaffSuccess { data { id } } } }`,
        { input: { subject: person.subject, name: person.name, role: person.role, organisationCode: person.organisationCode, phone: person.phone } },
        this.adminToken,
      );
      const created = data<{ id: string }>(response, 'createGridStaff');
      expect(created.id).toBeTruthy();
      ids.set(person.subject, created.id);
      for (const cellCode of person.cells) {
        const assigned = await this.hub.graphql(
          `mutation($input: GridAssignmentInput!) { assignGridAssistant(input: $input) { ${RESULT} } }`,
          { input: { staff: created.id, cellCode, validFrom: '2024-01-01T00:00:00+08:00' } },
          this.adminToken,
        );
        expect(result(assigned, 'assignGridAssistant')).toEqual({ __typename: 'MutationAssignGridAssistantSuccess' });
      }
    }
    return ids;
  }
}

/**
 * The grid most suites use: one area, two towns; 甲街道 has two villages with square boundaries,
 * 乙镇 one village without. Two assistants in 甲, one in 乙, one with no cell; a town officer each.
 */
export function standardGrid(hub: TestHub, adminToken: string): GridFixture {
  return new GridFixture(hub, adminToken)
    .area('G01', '测试片区')
    .town('G01001', '甲街道', 'G01')
    .village('G01001001', '甲一村', 'G01001', { longitude: 104.2, latitude: 30.5, half: 0.01 })
    .village('G01001002', '甲二村', 'G01001', { longitude: 104.22, latitude: 30.5, half: 0.01 })
    .town('G01002', '乙镇', 'G01')
    .village('G01002001', '乙一村', 'G01002')
    .assistant('asst-a1', '张伟', { town: 'G01001', cells: ['G01001001'], phone: '13800000001' })
    .assistant('asst-a2', '李娜', { town: 'G01001', cells: ['G01001002'] })
    .assistant('asst-b1', '王强', { town: 'G01002', cells: ['G01002001'] })
    .assistant('asst-idle', '赵敏', { town: 'G01002' })
    .townOfficer('town-a', '陈静', 'G01001')
    .townOfficer('town-b', '杨磊', 'G01002');
}

export const RESULT_FIELDS = RESULT;

/** The grid and the core it needs: a module-level hub, whatever else is registered. */
export const GRID_ONLY = { HUB_MODULES: 'grid' };
