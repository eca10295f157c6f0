import { startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { eventually, ingest } from '../../support/monitoring';

/** The eight roles of the matrix; `public` is a request without a token. */
export const MATRIX_ROLES = ['admin', 'district', 'town', 'assistant', 'enterprise', 'device', 'upstream', 'public'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

export interface Matrix {
  th: TestHub;
  /** a token per role (undefined for the public), each standing for a real person or device of the demo district */
  tokens: Record<MatrixRole, string | undefined>;
  /** who each token stands for, for messages */
  who: Record<MatrixRole, string>;
}

type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] };

/** Every node of a connection field, page by page (at most `pages` pages of 100). */
export async function allOf<T>(th: TestHub, token: string | undefined, field: string, selection: string, args = '', pages = 20): Promise<T[]> {
  const found: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < pages; page += 1) {
    const { body }: { body: { data?: Record<string, Page<T>> } } = await th.graphql<Record<string, Page<T>>>(
      `query($after: String) { ${field}(first: 100, after: $after${args ? `, ${args}` : ''}) { pageInfo { hasNextPage endCursor } edges { node { ${selection} } } } }`,
      { after },
      token,
    );
    const connection: Page<T> | undefined = body.data?.[field];
    if (!connection) return found;
    found.push(...connection.edges.map((e) => e.node));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return found;
}

/**
 * A hub with the demo district, and data the seed does not make: exceedances (with a sampler's
 * retention) in two enterprises of different towns. Tokens stand for seeded people: a town
 * officer and an assistant of the town that has the emergency incident, an enterprise with an
 * episode, the logger of one of its monitors.
 */
export async function startMatrixHub(engine: EngineName): Promise<Matrix> {
  const th = await startTestHub({
    engine,
    env: { HUB_SEED: 'true', GRAPHQL_MAX_ALIASES: '500', GRAPHQL_MAX_COMPLEXITY: '10000000', INTERRUPTION_CHECK_SECONDS: '86400' },
  });
  const admin = await th.token({ roles: ['admin'], sub: 'matrix-admin' });

  type Enterprise = { uscc: string; cellCode: string; samplers: { deviceMn: string | null }[] };
  const enterprises = (await allOf<Enterprise>(th, admin, 'enterprises', 'uscc cellCode samplers { deviceMn }')).filter((e) =>
    e.samplers.some((s) => s.deviceMn),
  );
  const [first, second] = [enterprises[0], enterprises.find((e) => e.cellCode.slice(0, 11) !== enterprises[0]?.cellCode.slice(0, 11))];
  if (!first || !second) throw new Error('the demo district has too few sampler enterprises');
  const loggers = [first, second].map((e) => e.samplers.find((s) => s.deviceMn)?.deviceMn as string);
  const now = Date.now();
  await ingest(
    th,
    admin,
    loggers.flatMap((mn) => [0, 1, 2].map((k) => ({ mn, time: new Date(now - (10 - k) * 60_000), value: 5000 + k }))),
  );
  await eventually(async () => {
    const retained = await th.graphql<{ exceedances: { edges: { node: { sampleRetention: { id: string } | null } }[] } }>(
      '{ exceedances(first: 50) { edges { node { sampleRetention { id } } } } }',
      {},
      admin,
    );
    return (retained.body.data?.exceedances.edges.filter((e) => e.node.sampleRetention).length ?? 0) >= 2;
  }, 200);

  type Staff = { subject: string | null; role: string; organisationCode: string | null; assignments: { cellCode: string; active: boolean }[] };
  const staff = await allOf<Staff>(th, admin, 'gridStaff', 'subject role organisationCode assignments { cellCode active }');
  const town =
    staff.find((s) => s.role === 'TOWN_OFFICER' && s.organisationCode === first.cellCode.slice(0, 11)) ?? staff.find((s) => s.role === 'TOWN_OFFICER');
  const assistant =
    staff.find((s) => s.role === 'ASSISTANT' && s.assignments.some((a) => a.active && first.cellCode.startsWith(a.cellCode))) ??
    staff.find((s) => s.role === 'ASSISTANT' && s.assignments.some((a) => a.active));
  const district = staff.find((s) => s.role === 'DISTRICT_OFFICER');
  if (!town?.subject || !town.organisationCode || !assistant?.subject || !district?.subject)
    throw new Error('the demo district has no town officer, assistant or district officer');
  const assistantCells = assistant.assignments.filter((a) => a.active).map((a) => a.cellCode);

  const tokens: Record<MatrixRole, string | undefined> = {
    admin,
    district: await th.token({ roles: ['district'], sub: district.subject }),
    town: await th.token({ roles: ['town'], sub: town.subject, cells: [town.organisationCode] }),
    assistant: await th.token({ roles: ['assistant'], sub: assistant.subject, cells: assistantCells }),
    enterprise: await th.token({ roles: ['enterprise'], sub: `ent-${first.uscc}`, enterprise: first.uscc }),
    device: await th.token({ roles: ['device'], sub: `logger-${loggers[0]}`, mns: [loggers[0] as string], cameras: ['VS-E001-C1'] }),
    upstream: await th.token({ roles: ['upstream'], sub: 'province-platform' }),
    public: undefined,
  };
  const who: Record<MatrixRole, string> = {
    admin: 'admin',
    district: `district ${district.subject}`,
    town: `town ${town.subject} (${town.organisationCode})`,
    assistant: `assistant ${assistant.subject} (${assistantCells.join(', ')})`,
    enterprise: `enterprise ${first.uscc}`,
    device: `device ${loggers[0]}`,
    upstream: 'upstream',
    public: 'public',
  };
  return { th, tokens, who };
}
