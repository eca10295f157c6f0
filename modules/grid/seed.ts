import type { HubRuntime } from '../../src/modules';
import { demoCells } from '../../src/demo/district';
import { pick, seededRandom } from '../../src/demo/random';
import { gridAssignments, gridCellOfficers, gridCells, gridPatrols, gridStaff, gridTaskHistory, gridTasks } from './tables';
import { voronoiBoundaries } from './demo-boundaries';
import { boundingBox } from './service/geometry';
import type { TaskHistoryAction, TaskStatus } from './service/transitions';
import type { TaskType } from './service/types';

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
  '郑',
  '谢',
  '唐',
  '冯',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
  '刚',
  '英',
  '华',
  '玉',
  '兰',
  '建',
  '国',
  '志',
  '红',
  '文',
  '斌',
  '琴',
];
/** Assistants were hired in April 2016 (the seed article). */
const HIRED = new Date('2016-04-01T00:00:00+08:00');
const HOUR = 3_600_000;
interface Person {
  id: number;
  subject: string;
  name: string;
}
const DAY = 24 * HOUR;

function personName(random: () => number): string {
  const given = random() < 0.6 ? pick(random, GIVEN) + pick(random, GIVEN) : pick(random, GIVEN);
  return pick(random, SURNAMES) + given;
}

function phone(random: () => number): string {
  return `1${pick(random, ['38', '39', '58', '59', '80', '87'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
}

const three = (n: number): string => String(n).padStart(3, '0');
const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The demo district's grid: the 163 cells of `demoCells()` with village boundaries; 100 assistants
 * (assistant-001..050 under the district bureau, each patrolling a town; assistant-051..100 in the
 * 12 town offices, each answering for villages of their own town, so every village is covered);
 * a town officer per town, two district officers; and a month of tasks and patrols.
 */
export async function seedGrid(hub: HubRuntime): Promise<void> {
  const random = seededRandom(20160401);
  const cells = demoCells();
  const villages = cells.filter((c) => c.level === 3);
  const towns = cells.filter((c) => c.level === 2);
  const areas = cells.filter((c) => c.level === 1);
  const boundaries = voronoiBoundaries(villages);
  const boundaryOf = new Map(villages.map((v, i) => [v.code, boundaries[i]]));
  const orm = hub.db.orm;

  await orm.transaction(async (tx) => {
    for (const level of [1, 2, 3]) {
      await tx
        .insert(gridCells)
        .values(
          cells
            .filter((c) => c.level === level)
            .map((c) => {
              const boundary = boundaryOf.get(c.code) ?? null;
              return {
                code: c.code,
                name: c.name,
                level: c.level,
                parentCode: c.parentCode,
                adminCode: c.adminCode,
                longitude: c.longitude,
                latitude: c.latitude,
                boundary,
                ...(boundary ? boundingBox(boundary) : {}),
              };
            }),
        )
        .onConflictDoNothing();
    }
  });

  const staff: (typeof gridStaff.$inferInsert)[] = [];
  for (let n = 1; n <= 50; n += 1)
    staff.push({ subject: `assistant-${three(n)}`, name: personName(random), role: 'ASSISTANT', organisationCode: null, phone: phone(random) });
  // 50 town assistants over 12 towns: two towns get 5, the rest 4
  const townAssistants = towns.map((_t, i) => (i < 2 ? 5 : 4));
  let n = 51;
  towns.forEach((town, i) => {
    for (let k = 0; k < (townAssistants[i] as number); k += 1, n += 1) {
      staff.push({ subject: `assistant-${three(n)}`, name: personName(random), role: 'ASSISTANT', organisationCode: town.code, phone: phone(random) });
    }
  });
  towns.forEach((town, i) =>
    staff.push({ subject: `town-officer-${two(i + 1)}`, name: personName(random), role: 'TOWN_OFFICER', organisationCode: town.code, phone: phone(random) }),
  );
  for (let k = 1; k <= 2; k += 1)
    staff.push({ subject: `district-officer-${two(k)}`, name: personName(random), role: 'DISTRICT_OFFICER', organisationCode: null, phone: phone(random) });
  const inserted = await orm.insert(gridStaff).values(staff).returning();
  const bySubject = new Map(inserted.map((s) => [s.subject as string, s]));
  const idOf = (subject: string): number => (bySubject.get(subject) as typeof gridStaff.$inferSelect).id;
  const personOf = new Map(inserted.map((s) => [s.id, { id: s.id, subject: s.subject as string, name: s.name }]));

  const assignments: (typeof gridAssignments.$inferInsert)[] = [];
  const assistantOfVillage = new Map<string, number>();
  for (let k = 1; k <= 50; k += 1)
    assignments.push({ staffId: idOf(`assistant-${three(k)}`), cellCode: (towns[(k - 1) % towns.length] as (typeof towns)[number]).code, validFrom: HIRED });
  n = 51;
  towns.forEach((town, i) => {
    const count = townAssistants[i] as number;
    const own = villages.filter((v) => v.parentCode === town.code);
    own.forEach((village, v) => {
      const staffId = idOf(`assistant-${three(n + (v % count))}`);
      assistantOfVillage.set(village.code, staffId);
      assignments.push({ staffId, cellCode: village.code, validFrom: HIRED });
    });
    n += count;
  });
  await orm.insert(gridAssignments).values(assignments);

  const officers: (typeof gridCellOfficers.$inferInsert)[] = [];
  towns.forEach((town, i) => {
    const officer = idOf(`town-officer-${two(i + 1)}`);
    officers.push({ cellCode: town.code, staffId: officer });
    for (const village of villages.filter((v) => v.parentCode === town.code)) officers.push({ cellCode: village.code, staffId: officer });
  });
  areas.forEach((area, i) => officers.push({ cellCode: area.code, staffId: idOf(`district-officer-${two((i % 2) + 1)}`) }));
  await orm.insert(gridCellOfficers).values(officers);

  await seedHistory(hub, random, villages, {
    assistantOf: (village) => personOf.get(assistantOfVillage.get(village) as number) as Person,
    officerOf: (town) => personOf.get(idOf(`town-officer-${two(towns.findIndex((t) => t.code === town) + 1)}`)) as Person,
  });
}

const TASK_TITLES: Readonly<Record<TaskType, readonly string[]>> = {
  ROUTINE_PATROL: ['日常巡查', '污染源例行检查', '治污设施运行检查'],
  EXCEEDANCE_INSPECTION: ['超标核查'],
  COMPLAINT: ['群众投诉核查：异味', '群众投诉核查：噪声', '群众投诉核查：污水直排'],
  SPECIAL_CAMPAIGN: ['危险废物专项检查', '扬尘专项整治', '散乱污企业排查'],
  OTHER: ['信息核实'],
};

/** A month of tasks in every stage and patrols with checklists: something to assess and to show. */
async function seedHistory(
  hub: HubRuntime,
  random: () => number,
  villages: readonly { code: string; parentCode: string | null; longitude: number; latitude: number }[],
  people: { assistantOf: (villageCode: string) => Person; officerOf: (townCode: string) => Person },
): Promise<void> {
  const now = hub.now().getTime();
  const orm = hub.db.orm;
  const types: TaskType[] = ['ROUTINE_PATROL', 'ROUTINE_PATROL', 'ROUTINE_PATROL', 'COMPLAINT', 'SPECIAL_CAMPAIGN', 'OTHER'];
  for (let k = 0; k < 80; k += 1) {
    const village = pick(random, villages);
    const assignee = people.assistantOf(village.code);
    const officer = people.officerOf(village.parentCode as string);
    const type = pick(random, types);
    const dispatchedAt = now - Math.floor((1 + random() * 29) * DAY);
    const deadline = dispatchedAt + Math.floor((1 + random() * 6) * DAY);
    const steps: { action: TaskHistoryAction; to: TaskStatus; at: number; actor: Person }[] = [
      { action: 'DISPATCH', to: 'DISPATCHED', at: dispatchedAt, actor: officer },
    ];
    const reach = random();
    let at = dispatchedAt;
    const step = (action: TaskHistoryAction, to: TaskStatus, hours: number, actor: Person): boolean => {
      at += Math.floor(hours * HOUR);
      if (at >= now) return false;
      steps.push({ action, to, at, actor });
      return true;
    };
    const assistant = assignee;
    if (reach > 0.08 && step('ACCEPT', 'ACCEPTED', 0.3 + random() * 8, assistant))
      if (reach > 0.15 && step('START', 'IN_PROGRESS', 1 + random() * 24, assistant))
        if (reach > 0.3 && step('SUBMIT', 'SUBMITTED', 4 + random() * 96, assistant)) {
          if (reach > 0.85 && step('RETURN', 'RETURNED', 2 + random() * 24, officer)) {
            if (step('START', 'IN_PROGRESS', 1 + random() * 12, assistant)) step('SUBMIT', 'SUBMITTED', 4 + random() * 48, assistant);
          }
          if (steps.at(-1)?.to === 'SUBMITTED' && reach > 0.4) step('VERIFY', 'VERIFIED', 1 + random() * 48, officer);
        }
    const last = steps.at(-1) as (typeof steps)[number];
    const overdue = deadline < now && ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'RETURNED'].includes(last.to);
    const stamp = (action: TaskHistoryAction, first = false): Date | null => {
      const found = first ? steps.find((s) => s.action === action) : steps.filter((s) => s.action === action).at(-1);
      return found ? new Date(found.at) : null;
    };
    const [task] = await orm
      .insert(gridTasks)
      .values({
        type,
        title: pick(random, TASK_TITLES[type]),
        targetKind: 'PLACE',
        targetLongitude: village.longitude,
        targetLatitude: village.latitude,
        targetDescription: `${village.code} 辖区`,
        cellCode: village.code,
        assigneeId: assignee.id,
        status: overdue ? 'OVERDUE' : last.to,
        statusBeforeOverdue: overdue ? last.to : null,
        deadline: new Date(deadline),
        dispatchedBy: officer.subject,
        dispatchedAt: new Date(dispatchedAt),
        acceptedAt: stamp('ACCEPT'),
        startedAt: stamp('START', true),
        submittedAt: stamp('SUBMIT'),
        verifiedAt: stamp('VERIFY'),
        overdueAt: overdue ? new Date(deadline) : null,
        updatedAt: new Date(last.at),
      })
      .returning({ id: gridTasks.id });
    const taskId = (task as { id: number }).id;
    const history: (typeof gridTaskHistory.$inferInsert)[] = steps.map((s, index) => ({
      taskId,
      action: s.action,
      fromStatus: index === 0 ? null : (steps[index - 1] as (typeof steps)[number]).to,
      toStatus: s.to,
      actor: s.actor.subject,
      actorName: s.actor.name,
      note: s.action === 'RETURN' ? '现场照片不清晰，请补充' : null,
      at: new Date(s.at),
    }));
    if (overdue)
      history.push({
        taskId,
        action: 'MARK_OVERDUE',
        fromStatus: last.to,
        toStatus: 'OVERDUE',
        actor: 'system',
        actorName: null,
        note: null,
        at: new Date(deadline),
      });
    await orm.insert(gridTaskHistory).values(history);
    const submitted = steps.find((s) => s.action === 'SUBMIT');
    if (submitted) await orm.insert(gridPatrols).values(patrolRow(random, village, assignee, new Date(submitted.at - HOUR), taskId));
  }
  const routine = Array.from({ length: 150 }, () => {
    const village = pick(random, villages);
    return patrolRow(random, village, people.assistantOf(village.code), new Date(now - Math.floor(random() * 30 * DAY)), null);
  });
  await orm.insert(gridPatrols).values(routine);
}

function patrolRow(
  random: () => number,
  village: { code: string; longitude: number; latitude: number },
  author: Person,
  at: Date,
  taskId: number | null,
): typeof gridPatrols.$inferInsert {
  const problem = random() < 0.12;
  return {
    taskId,
    cellCode: village.code,
    staffId: author.id,
    authorSubject: author.subject,
    authorName: author.name,
    patrolledAt: at,
    longitude: Math.round((village.longitude + (random() - 0.5) * 0.002) * 1e6) / 1e6,
    latitude: Math.round((village.latitude + (random() - 0.5) * 0.002) * 1e6) / 1e6,
    productionStatus: pick(random, ['PRODUCING', 'PRODUCING', 'PRODUCING', 'PARTIAL', 'STOPPED'] as const),
    dischargeStatus: problem ? 'ABNORMAL' : pick(random, ['NORMAL', 'NORMAL', 'NONE_OBSERVED'] as const),
    treatmentFacility: problem && random() < 0.5 ? 'NOT_RUNNING' : 'RUNNING',
    hazardousWaste: problem && random() < 0.5 ? 'NON_COMPLIANT' : pick(random, ['COMPLIANT', 'COMPLIANT', 'NOT_APPLICABLE'] as const),
    findings: problem ? pick(random, ['废水排放口有异色', '治污设施未开启', '危废暂存间未上锁', '厂界有明显异味']) : null,
    notes: null,
    createdAt: at,
  };
}
