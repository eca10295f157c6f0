import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataUpload } from '../../src/ingest/hj212/encode';
import { encodeFrame } from '../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../src/ingest/hj212/service';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { createMonitor, ingest, setLimit } from '../support/monitoring';
import { RawDevice } from '../ingest/hj212/device-client';

const USCC = '91510112MA6CAAAAA1';
const PW = '123456';

/**
 * A device's PW hash is read by the gateway's PW check and by nothing else: every statement the
 * hub sends while GraphQL reads, writes and federates monitors is watched for the column.
 */
describe.each(ENGINES)('device secrets stay in the database layer (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let monitorId: string;

  /**
   * The statements an action sends that read the PW hash: select it, return it, or take every
   * column of the monitors (writing a new hash is no read).
   */
  const hashReads = async (action: () => Promise<unknown>): Promise<string[]> => {
    const seen: string[] = [];
    const reads = [
      /\bselect\b(?:(?!\bfrom\b)[\s\S])*password_hash/i,
      /\breturning\b[\s\S]*password_hash/i,
      /\bselect\s+(\w+\.)?\*\s+from\s+"?monitoring_monitors/i,
      /monitoring_monitors[\s\S]*\breturning\s+\*/i,
    ];
    const stop = th.hub.db.observeStatements((text) => {
      if (reads.some((read) => read.test(text))) seen.push(text);
    });
    try {
      await action();
    } finally {
      stop();
    }
    return seen;
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_MODULES: 'grid,source' } });
    admin = await th.token({ roles: ['admin'] });
    monitorId = await createMonitor(th, admin, { mn: 'SECRET-W1', enterpriseUscc: USCC, cellCode: '51011201001001', password: PW });
    await setLimit(th, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
  });
  afterAll(() => th?.stop());

  it('sends no statement naming password_hash for any GraphQL read or write of monitors', async () => {
    const district = await th.token({ roles: ['district'] });
    const enterprise = await th.token({ roles: ['enterprise'], enterprise: USCC });
    const upstream = await th.token({ roles: ['upstream'] });
    const device = await th.token({ roles: ['device'], mns: ['SECRET-W1'] });
    const seen = await hashReads(async () => {
      const reads = [
        ['{ monitors(first: 10) { edges { node { id mn name status } } } }', {}, district],
        ['query($id: ID) { monitor(id: $id) { mn limits { upper } } }', { id: monitorId }, district],
        ['{ monitor(mn: "SECRET-W1") { mn } }', {}, enterprise],
        ['query($id: ID!) { node(id: $id) { ... on Monitor { mn } } }', { id: monitorId }, district],
        ['query($ids: [ID!]!) { latestReadings(monitors: $ids) { factor value monitor { mn } } }', { ids: [monitorId] }, district],
        ['{ exceedances(first: 5) { edges { node { monitor { mn } } } } }', {}, district],
        ['mutation($id: ID!) { updateMonitor(id: $id, input: { name: "renamed", password: "654321" }) { __typename } }', { id: monitorId }, admin],
        [
          'mutation { createMonitor(input: { mn: "SECRET-W2", password: "abcdef", name: "second", kind: OTHER, intervalSeconds: 60 }) { __typename ... on MutationCreateMonitorSuccess { data { mn } } } }',
          {},
          admin,
        ],
      ] as const;
      for (const [query, variables, token] of reads) {
        const { body } = await th.graphql(query, variables as Record<string, unknown>, token);
        expect(body.errors, query).toBeUndefined();
      }
      expect(await ingest(th, device, [{ mn: 'SECRET-W1', time: new Date(Date.now() - 60_000), value: 500 }])).toMatchObject({
        accepted: 1,
        episodesOpened: 1,
      });
      const federated = await fetch(`http://127.0.0.1:${th.hub.port}/federation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${upstream}` },
        body: JSON.stringify({
          query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Monitor { mn name } } }',
          variables: { r: [{ __typename: 'Monitor', mn: 'SECRET-W1' }] },
        }),
      });
      expect(((await federated.json()) as { data: unknown }).data).toEqual({ _entities: [{ mn: 'SECRET-W1', name: 'renamed' }] });
    });
    expect(seen).toEqual([]);
  });

  it('reads the hash where a device logs in over HJ 212, and only there', async () => {
    const device = await RawDevice.connect(th.hub.services.get(hj212GatewayRef).port as number);
    const seen = await hashReads(async () => {
      device.write(
        encodeFrame(
          buildDataUpload({
            qn: '20260601080000001',
            st: '32',
            cn: '2011',
            pw: '654321',
            mn: 'SECRET-W1',
            dataTime: new Date(Date.now() - 120_000),
            items: [{ code: 'w01018', values: { Rtd: 40 }, flag: 'N' }],
          }),
        ),
      );
      expect(await device.next()).toMatchObject({ cn: '9014' });
    });
    device.close();
    expect(seen).toHaveLength(1);
  });
});
