import type { HubBuilder } from '../../../src/graphql/builder';
import { NotFoundError } from '../../../src/errors';
import { reportsServiceRef, type ExportJob, type ExportKind } from '../public';
import { EXPORT_FORMATS } from '../format/writers';
import { boundedList } from '../../../src/graphql/cost/declare';
import { zhValues } from '../../../src/graphql/zh';
import { EXPORT_KINDS } from '../service/exporting';
import { MAX_LISTED_EXPORTS } from '../service/jobs';
import { EXPORT_PATH, MONTHLY_PATH } from '../routes';

const ID_PATTERN = /^[0-9a-f-]{36}$/;

/** Exports are files over HTTP; GraphQL lists what may be exported and follows the exports running. */
export function registerReportsSchema(builder: HubBuilder): void {
  const StateEnum = builder.enumType('ExportState', {
    values: zhValues(['RUNNING', 'DONE', 'CANCELLED', 'FAILED'] as const, { RUNNING: '进行中', DONE: '已完成', CANCELLED: '已取消', FAILED: '失败' }),
  });

  const ExportJobRef = builder.objectRef<ExportJob>('ExportJob').implement({
    description: `An export (\`GET ${EXPORT_PATH}/<kind>\`) or monthly report (\`GET ${MONTHLY_PATH}\`) running on this instance, or finished in the last 15 minutes. The download's \`x-export-id\` header names it.`,
    fields: (t) => ({
      id: t.exposeString('id'),
      kind: t.exposeString('kind'),
      format: t.exposeString('format'),
      fileName: t.exposeString('fileName'),
      state: t.field({ type: StateEnum, resolve: (j) => j.state }),
      rowsWritten: t.exposeInt('rowsWritten', { description: 'rows sent so far (parts gathered, for a monthly report)' }),
      rowsEstimated: t.exposeInt('rowsEstimated', { nullable: true, description: 'rows it will hold, when known before it starts' }),
      progress: t.float({
        nullable: true,
        description: 'rowsWritten / rowsEstimated, 0-1; 1 once done; null while the total is unknown',
        resolve: (j) => (j.state === 'DONE' ? 1 : j.rowsEstimated ? Math.min(1, j.rowsWritten / j.rowsEstimated) : null),
      }),
      startedAt: t.field({ type: 'DateTime', resolve: (j) => j.startedAt }),
      finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (j) => j.finishedAt }),
      reason: t.exposeString('reason', { nullable: true, description: 'why it failed or was cancelled' }),
    }),
  });

  const ExportKindRef = builder.objectRef<ExportKind>('ExportKind').implement({
    description: `An export: \`GET ${EXPORT_PATH}/<name>?format=csv|xlsx&<params>\` with a Bearer token.`,
    fields: (t) => ({
      name: t.exposeString('name'),
      title: t.exposeString('title'),
      params: t.stringList({ description: 'query parameters besides format', resolve: (k) => [...k.params] }),
      formats: t.stringList({ resolve: () => [...EXPORT_FORMATS] }),
      path: t.string({ resolve: (k) => `${EXPORT_PATH}/${k.name}` }),
    }),
  });

  const signedIn = { authScopes: { authenticated: true } } as const;
  builder.queryFields((t) => ({
    exportKinds: t.field({
      ...signedIn,
      type: [ExportKindRef],
      extensions: boundedList(EXPORT_KINDS.length, { computed: true }),
      description: 'The exports this account may ask for.',
      resolve: (_root, _args, ctx) => ctx.services.get(reportsServiceRef).kinds(ctx.viewer),
    }),
    exportJobs: t.field({
      ...signedIn,
      type: [ExportJobRef],
      extensions: boundedList(MAX_LISTED_EXPORTS, { computed: true }),
      description: 'This account’s exports on this instance, newest first (an administrator’s: everyone’s).',
      resolve: (_root, _args, ctx) => ctx.services.get(reportsServiceRef).jobs(ctx.viewer),
    }),
    exportJob: t.field({
      ...signedIn,
      type: ExportJobRef,
      nullable: true,
      description: 'One export by the id its download named; null when unknown here or not this account’s.',
      args: { id: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => (ID_PATTERN.test(args.id) ? ctx.services.get(reportsServiceRef).job(ctx.viewer, args.id) : null),
    }),
  }));
  builder.mutationFields((t) => ({
    cancelExport: t.field({
      ...signedIn,
      type: ExportJobRef,
      errors: { types: [NotFoundError] },
      description: 'Cancels a running export: it stops reading and its download is cut. A finished one is returned as it is.',
      args: { id: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => {
        const job = ID_PATTERN.test(args.id) ? ctx.services.get(reportsServiceRef).cancel(ctx.viewer, args.id) : undefined;
        if (!job) throw new NotFoundError('ExportJob', args.id.slice(0, 40));
        return job;
      },
    }),
  }));
}
