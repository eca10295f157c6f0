import { LimitError } from '../../../src/errors';
import { CELL_CODE } from '../../../src/validation';
import { gridServiceRef, type GridCell, type GridStaff, type GridTask, type TaskStatus, type TaskType } from '../../grid/public';
import type { Row } from '../format/cells';
import { ASSESSMENT_GROUP_NAMES, label, TASK_STATUS_NAMES, TASK_TYPE_NAMES } from '../format/labels';
import { checkAborted, rangeStamp, type ExportKind } from './kind';

const STAFF = ['admin', 'district', 'town', 'assistant'] as const;
const GROUPS = ['ASSISTANT', 'CELL', 'TOWN'] as const;
const TASK_STATUSES: readonly TaskStatus[] = ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'SUBMITTED', 'VERIFIED', 'RETURNED', 'OVERDUE'];
const TASK_TYPES: readonly TaskType[] = ['ROUTINE_PATROL', 'EXCEEDANCE_INSPECTION', 'COMPLAINT', 'SPECIAL_CAMPAIGN', 'OTHER'];
const PAGE = 500;

/** The work assessment (工作考评) ranked by score, as `gridAssessment`. */
export const gridAssessmentExport: ExportKind = {
  name: 'grid-assessment',
  title: '网格工作考评',
  module: 'grid',
  roles: STAFF,
  params: ['from', 'to', 'groupBy'],
  open: async (context, params) => {
    const range = params.range(context.limits.maxRangeDays);
    const groupBy = params.choice('groupBy', GROUPS, 'TOWN');
    const rows = await context.services.get(gridServiceRef).assessment(context.viewer, { ...range, groupBy });
    if (rows.length > context.limits.maxRows) throw new LimitError(`an export holds at most ${context.limits.maxRows} rows`);
    return {
      fileName: `grid-assessment-${groupBy.toLowerCase()}-${rangeStamp(range)}`,
      sheet: `考评（${ASSESSMENT_GROUP_NAMES[groupBy]}）`,
      columns: [
        { header: '排名', type: 'integer' },
        { header: groupBy === 'ASSISTANT' ? '人员编号' : '网格编码', type: 'text', width: 18 },
        { header: '名称', type: 'text', width: 20 },
        { header: '派发任务数', type: 'integer' },
        { header: '完成任务数', type: 'integer' },
        { header: '按时完成数', type: 'integer' },
        { header: '逾期任务数', type: 'integer' },
        { header: '平均响应时间（秒）', type: 'integer' },
        { header: '巡查次数', type: 'integer' },
        { header: '照片视频数', type: 'integer' },
        { header: '得分', type: 'number' },
        { header: '完成率得分比例', type: 'ratio' },
        { header: '及时率得分比例', type: 'ratio' },
        { header: '响应得分比例', type: 'ratio' },
        { header: '巡查得分比例', type: 'ratio' },
        { header: '影像得分比例', type: 'ratio' },
      ],
      estimatedRows: rows.length,
      pages: async function* () {
        yield rows.map((r): Row => [
          r.rank,
          r.key,
          r.name,
          r.assigned,
          r.completed,
          r.onTime,
          r.overdue,
          r.meanResponseSeconds,
          r.patrols,
          r.media,
          r.score,
          r.parts.completion,
          r.parts.punctuality,
          r.parts.responsiveness,
          r.parts.patrols,
          r.parts.media,
        ]);
      },
    };
  },
};

/** Tasks dispatched in [from, to) in the viewer's grid, newest first, as `gridTasks`. */
export const gridTasksExport: ExportKind = {
  name: 'grid-tasks',
  title: '网格任务清单',
  module: 'grid',
  roles: STAFF,
  params: ['from', 'to', 'status', 'type', 'cell'],
  open: async (context, params) => {
    const range = params.range(context.limits.maxRangeDays);
    const filter = {
      status: params.choices('status', TASK_STATUSES),
      type: params.choices('type', TASK_TYPES),
      cellCode: params.string('cell', { pattern: CELL_CODE }),
      dispatchedFrom: range.from,
      // the service's bound is inclusive; an export's range is [from, to)
      dispatchedTo: new Date(range.to.getTime() - 1),
    };
    const grid = context.services.get(gridServiceRef);
    let written = 0;
    return {
      fileName: `grid-tasks-${rangeStamp(range)}`,
      sheet: '网格任务',
      columns: [
        { header: '任务编号', type: 'integer' },
        { header: '任务类型', type: 'text' },
        { header: '任务标题', type: 'text', width: 30 },
        { header: '状态', type: 'text' },
        { header: '网格编码', type: 'text', width: 18 },
        { header: '网格名称', type: 'text', width: 16 },
        { header: '承办人', type: 'text' },
        { header: '对象统一社会信用代码', type: 'text', width: 22 },
        { header: '对象说明', type: 'text', width: 24 },
        { header: '办理期限（北京时间）', type: 'time', width: 20 },
        { header: '派发时间（北京时间）', type: 'time', width: 20 },
        { header: '接收时间（北京时间）', type: 'time', width: 20 },
        { header: '提交时间（北京时间）', type: 'time', width: 20 },
        { header: '核查时间（北京时间）', type: 'time', width: 20 },
        { header: '逾期时间（北京时间）', type: 'time', width: 20 },
        { header: '关联超标编号', type: 'integer' },
      ],
      estimatedRows: null,
      pages: async function* () {
        let beforeId: number | undefined;
        for (;;) {
          checkAborted(context.signal);
          const tasks: GridTask[] = await grid.tasks.list(context.viewer, filter, { limit: PAGE, beforeId });
          written += tasks.length;
          if (written > context.limits.maxRows) throw new LimitError(`more than ${context.limits.maxRows} tasks: narrow the range`);
          const cellCodes = [...new Set(tasks.map((t) => t.cellCode))];
          const cells = new Map((await grid.cellsByCodes(cellCodes)).filter((c): c is GridCell => c !== undefined).map((c) => [c.code, c]));
          const staffIds = [...new Set(tasks.flatMap((t) => (t.assigneeId === null ? [] : [t.assigneeId])))];
          const staff = new Map((await grid.staff.byIds(context.viewer, staffIds)).filter((s): s is GridStaff => s !== undefined).map((s) => [s.id, s]));
          if (tasks.length > 0) {
            yield tasks.map((t): Row => [
              t.id,
              label(TASK_TYPE_NAMES, t.type),
              t.title,
              label(TASK_STATUS_NAMES, t.status),
              t.cellCode,
              cells.get(t.cellCode)?.name ?? null,
              t.assigneeId === null ? null : (staff.get(t.assigneeId)?.name ?? null),
              t.targetUscc,
              t.targetDescription,
              t.deadline,
              t.dispatchedAt,
              t.acceptedAt,
              t.submittedAt,
              t.verifiedAt,
              t.overdueAt,
              t.exceedanceId,
            ]);
          }
          if (tasks.length < PAGE) return;
          beforeId = tasks.at(-1)?.id;
        }
      },
    };
  },
};
