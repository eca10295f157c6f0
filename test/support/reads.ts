import { readFileSync } from 'node:fs';
import { Kind, parse, print, separateOperations, type FragmentDefinitionNode } from 'graphql';
import type { TestHub } from './hub';

/**
 * The read workload the hub is measured on: the three reads of the side-by-side comparison with
 * PostGraphile (Q1 flat, Q2 three levels, Q3 one series) and the headline operations, each with
 * the variables and token it runs with. The statement-count tests and bench/reads.ts share it, so
 * the counts a test pins are those of the requests the benchmark times.
 */
export interface ReadOperation {
  name: string;
  endpoint: 'graphql' | 'federation';
  query: string;
  variables: Record<string, unknown>;
  token: string;
}

const HEADLINE = readFileSync(new URL('../../operations/headline.graphql', import.meta.url), 'utf8');
const HEADLINE_OPERATIONS = Object.fromEntries(Object.entries(separateOperations(parse(HEADLINE))).map(([name, document]) => [name, print(document)]));

export const Q1 = `query Q1 { enterprises(first: 50) { edges { node { uscc name controlLevel } } } }`;
export const Q2 = `query Q2 { enterprises(first: 20) { edges { node { uscc name outlets { code name kind monitors { mn kind } } } } } }`;
export const Q3 = `query Q3($monitor: ID!, $from: DateTime!, $to: DateTime!) {
  readings(monitor: $monitor, factor: "w01001", interval: HOUR, from: $from, to: $to, limit: 24) { factor interval points { time value flag } }
}`;
/** Q3's station: a demo water station with hourly pH history. */
export const Q3_MN = 'WQ510112000001';

/** The fragment the province join spreads, for a router-shaped request. */
export const PROVINCE_FRAGMENT = print(
  parse(HEADLINE).definitions.find(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === 'ProvinceEnterprise',
  ) as FragmentDefinitionNode,
);

/** Sends one operation as a client does. */
export async function sendRead(
  th: TestHub,
  operation: ReadOperation,
): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: { message: string }[] } }> {
  const response = await fetch(`http://127.0.0.1:${th.hub.port}/${operation.endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operation.token}` },
    body: JSON.stringify({ query: operation.query, variables: operation.variables }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/**
 * The workload on a hub seeded with the demo district (modules grid, source, air, water,
 * emergency at least): ids, the series window and the assistant's cell are looked up in the data.
 */
export async function readWorkload(th: TestHub): Promise<ReadOperation[]> {
  const district = await th.token({ roles: ['district'] }, 3600);
  const upstream = await th.token({ roles: ['upstream'], sub: 'sichuan-province-platform' }, 3600);
  const seeded = await th.graphql<{
    enterprises: { edges: { node: { uscc: string } }[] };
    emergencyIncidents: { edges: { node: { id: string } }[] };
    gridTasks: { edges: { node: { cellCode: string; assignee: { subject: string } | null } }[] };
    monitor: { id: string; latestReadings: { time: string }[] } | null;
  }>(
    `{ enterprises(first: 50) { edges { node { uscc } } }
       emergencyIncidents(first: 1) { edges { node { id } } }
       gridTasks(first: 50) { edges { node { cellCode assignee { subject } } } }
       monitor(mn: "${Q3_MN}") { id latestReadings(interval: HOUR, limit: 1) { time } } }`,
    {},
    district,
  );
  const data = seeded.body.data;
  if (!data?.monitor) throw new Error(`the demo district has no monitor ${Q3_MN}: ${JSON.stringify(seeded.body.errors)}`);
  const newest = Date.parse(data.monitor.latestReadings[0]?.time ?? '');
  if (!Number.isFinite(newest)) throw new Error(`monitor ${Q3_MN} has no hourly values`);
  const task = data.gridTasks.edges.find((e) => e.node.assignee?.subject)?.node;
  if (!task) throw new Error('the demo district has no assigned task');
  const assistant = await th.token({ roles: ['assistant'], sub: task.assignee?.subject, cells: [task.cellCode] }, 3600);
  const usccs = data.enterprises.edges.map((e) => e.node.uscc);
  const hour = 3_600_000;
  const day = new Date(Date.now() - 86_400_000 + 8 * hour).toISOString().slice(0, 10);
  const headline = (name: string, variables: Record<string, unknown>, token: string, endpoint: ReadOperation['endpoint'] = 'graphql'): ReadOperation => ({
    name,
    endpoint,
    query: HEADLINE_OPERATIONS[name] as string,
    variables,
    token,
  });
  return [
    { name: 'Q1', endpoint: 'graphql', query: Q1, variables: {}, token: district },
    { name: 'Q2', endpoint: 'graphql', query: Q2, variables: {}, token: district },
    {
      name: 'Q3',
      endpoint: 'graphql',
      query: Q3,
      variables: { monitor: data.monitor.id, from: new Date(newest - 23 * hour).toISOString(), to: new Date(newest + hour).toISOString() },
      token: district,
    },
    headline('EnterpriseFile', { uscc: usccs[0] }, district),
    headline('IncidentCommandView', { incident: data.emergencyIncidents.edges[0]?.node.id }, district),
    headline('AssistantTasks', {}, assistant),
    headline('DistrictAqiRanking', { day }, district),
    headline('ProvinceEnterpriseJoin', { representations: usccs.map((uscc) => ({ __typename: 'Enterprise', uscc })) }, upstream, 'federation'),
  ];
}

/**
 * Statements one request of `operation` sends: the fewest over a few runs, since the hub's own
 * workers (the interruption check, the outbox) may send one in between.
 */
export async function statementsPerRequest(th: TestHub, operation: ReadOperation, runs = 5): Promise<number> {
  let fewest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i += 1) {
    const before = th.hub.db.statementCount();
    const result = await sendRead(th, operation);
    if (result.status !== 200 || result.body.errors) throw new Error(`${operation.name}: HTTP ${result.status} ${JSON.stringify(result.body.errors)}`);
    fewest = Math.min(fewest, th.hub.db.statementCount() - before);
  }
  return fewest;
}
