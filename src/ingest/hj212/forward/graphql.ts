import type { HubBuilder } from '../../../graphql/builder';
import { boundedList, limitArgument, limitedList, takeLimit } from '../../../graphql/cost/declare';
import { zhValues } from '../../../graphql/zh';
import type { ForwardMonitorStatus } from './forwarder';
import { hj212ForwardingRef, type ForwardTargetView } from './service';

/** Targets one hub forwards to (the targets file holds at most 20). */
const MAX_TARGETS = 20;
const TARGET_MONITORS = { default: 100, max: 10_000 } as const;

type MonitorView = ForwardMonitorStatus & { backlog: number | null; lastAcknowledgedAt: Date | null; lastDataTime: Date | null };

/** Administrators' view of forwarding to city and province platforms (数据转发). */
export function registerForwardingSchema(builder: HubBuilder): void {
  const StateEnum = builder.enumType('Hj212ForwardState', {
    values: zhValues(['FORWARDING', 'REFUSED', 'UNKNOWN_MONITOR'] as const, {
      FORWARDING: '转发中: uploads go up as they are stored',
      REFUSED: '被拒绝: the target answered 9011 with a QnRtn other than 1; not retried until the hub restarts',
      UNKNOWN_MONITOR: '未登记: no monitor of this hub has the MN',
    }),
  });
  const MonitorRef = builder.objectRef<MonitorView>('Hj212ForwardMonitor').implement({
    fields: (t) => ({
      mn: t.exposeString('mn', { description: 'the device’s MN in this hub' }),
      upstreamMn: t.exposeString('upstreamMn', { description: 'the MN the target knows it by' }),
      state: t.field({ type: StateEnum, resolve: (m) => (m.monitorId === null ? 'UNKNOWN_MONITOR' : m.refusedWith !== null ? 'REFUSED' : 'FORWARDING') }),
      refusedWith: t.exposeInt('refusedWith', { nullable: true, description: 'QnRtn of the refusal (3 bad PW, 4 bad MN, ...)' }),
      backlog: t.exposeInt('backlog', { nullable: true, description: 'stored uploads not yet acknowledged by the target' }),
      lastAcknowledgedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.lastAcknowledgedAt }),
      lastAcknowledgedDataTime: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'DataTime of the last upload the target acknowledged',
        resolve: (m) => m.lastDataTime,
      }),
    }),
  });
  const TargetRef = builder.objectRef<ForwardTargetView>('Hj212ForwardTarget').implement({
    description: 'A city or province platform this hub forwards stored HJ 212 uploads to.',
    fields: (t) => ({
      name: t.string({ resolve: (v) => v.target.name }),
      host: t.string({ resolve: (v) => v.target.host }),
      port: t.int({ resolve: (v) => v.target.port }),
      edition: t.string({ description: '2005, 2017 or 2025', resolve: (v) => v.target.edition }),
      acknowledged: t.boolean({ description: 'uploads ask for 9014 and wait for it', resolve: (v) => v.target.ack }),
      commands: t.stringList({
        description:
          'the uploads forwarded: among 2011, 2051, 2061, 2031, 2041 (each stored upload once, in order) and 2021, 2081 (the latest state, when it changes)',
        resolve: (v) => v.target.commands,
      }),
      startsFrom: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'a monitor added to the target gets the uploads stored from this time on: the target’s `since`, or when the hub first ran with it',
        resolve: (v) => v.startsFrom,
      }),
      active: t.exposeBoolean('active', { description: 'this instance forwards to the target (several instances: one holds the lease)' }),
      connected: t.exposeBoolean('connected'),
      backlog: t.exposeInt('backlog', {
        description: 'stored uploads (readings, 2041) of its monitors not yet acknowledged; a changed 2021/2081 state is not counted',
      }),
      sent: t.exposeInt('sent', { description: 'uploads sent by this instance since it started' }),
      resent: t.exposeInt('resent', { description: 'sendings again after no 9014 came in time' }),
      acknowledgedCount: t.int({ description: 'uploads the target acknowledged since this instance started', resolve: (v) => v.acknowledged }),
      errors: t.exposeInt('errors', { description: 'failed connections, lost links and refusals since start' }),
      lastError: t.exposeString('lastError', { nullable: true }),
      lastErrorAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.lastErrorAt }),
      lastAcknowledgedAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.lastAcknowledgedAt }),
      monitors: t.field({
        type: [MonitorRef],
        args: { limit: t.arg.int(limitArgument(TARGET_MONITORS)) },
        extensions: limitedList(TARGET_MONITORS),
        resolve: (v, args) =>
          takeLimit(v.monitors, args.limit, TARGET_MONITORS).map((m) => {
            const cursor = m.monitorId === null ? undefined : v.cursors.get(m.monitorId);
            return { ...m, backlog: cursor?.backlog ?? null, lastAcknowledgedAt: cursor?.acknowledgedAt ?? null, lastDataTime: cursor?.lastTime ?? null };
          }),
      }),
    }),
  });

  builder.queryFields((t) => ({
    hj212ForwardTargets: t.field({
      authScopes: { admin: true },
      type: [TargetRef],
      description: 'The upper platforms stored uploads are forwarded to (HJ212_FORWARD_TARGETS_FILE): connection, backlog, last acknowledged, errors.',
      extensions: boundedList(MAX_TARGETS),
      resolve: (_root, _args, ctx) => ctx.services.get(hj212ForwardingRef).targets(),
    }),
  }));
}
