import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/hub';
import { createMonitor } from '../../support/monitoring';
import { result, startSourceHub, uscc, type SourceHub } from '../source/support';

const DISPATCH = `mutation($input: GridDispatchTaskInput!) {
  dispatchGridTask(input: $input) { __typename ... on MutationDispatchGridTaskSuccess { data { cellCode assignee { name } } } ... on Error { message } }
}`;

describe.each(ENGINES)('dispatching by what the task is about on %s', (engine) => {
  let s: SourceHub;
  const code = uscc(4242);
  const deadline = () => new Date(Date.now() + 24 * 3_600_000).toISOString();
  const dispatch = async (target: Record<string, unknown>) =>
    result<{ __typename: string; message?: string; data?: { cellCode: string; assignee: { name: string } | null } }>(
      await s.hub.graphql(DISPATCH, { input: { type: 'COMPLAINT', title: '群众投诉异味', target, deadline: deadline() } }, s.tokens.district),
      'dispatchGridTask',
    );

  beforeAll(async () => {
    s = await startSourceHub(engine);
    const created = await s.hub.graphql(
      `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { __typename } }`,
      { input: { uscc: code, name: '甲二村化工', industry: '化学原料制造', controlLevel: 'CITY', cellCode: 'G01001002' } },
      s.tokens.admin,
    );
    expect(result<{ __typename: string }>(created, 'createEnterprise').__typename).toBe('MutationCreateEnterpriseSuccess');
    // a monitor of the enterprise without a cell of its own
    await createMonitor(s.hub, s.tokens.admin, { mn: 'DISPATCHMN0001', enterpriseUscc: code });
  });
  afterAll(async () => s?.hub.stop());

  it('finds the cell of an enterprise by its USCC', async () => {
    expect(await dispatch({ kind: 'SOURCE', uscc: code })).toMatchObject({
      __typename: 'MutationDispatchGridTaskSuccess',
      data: { cellCode: 'G01001002', assignee: { name: '李娜' } },
    });
  });

  it('finds the cell of a monitor by its MN, through its enterprise', async () => {
    expect(await dispatch({ kind: 'MONITOR', mn: 'DISPATCHMN0001' })).toMatchObject({ data: { cellCode: 'G01001002' } });
  });

  it('finds the cell of a point', async () => {
    expect(await dispatch({ kind: 'PLACE', longitude: 104.2, latitude: 30.5 })).toMatchObject({ data: { cellCode: 'G01001001', assignee: { name: '张伟' } } });
  });

  it('says so when an enterprise has no file', async () => {
    const unknown = await dispatch({ kind: 'SOURCE', uscc: uscc(4343) });
    expect(unknown.__typename).toBe('ValidationError');
  });
});
