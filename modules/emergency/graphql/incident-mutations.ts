import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import type { IncidentCriteria } from '../levels';
import { emergencyServiceRef } from '../public';
import type { StatusAction } from '../service/transitions';
import type { EmergencyEnums } from './enums';
import { OFFICERS, STAFF, idOf, idsOf } from './ids';
import type { IncidentSchema } from './incidents';
import { EmergencyIncidentRef } from './refs';
import { MAX_LINKS } from '../service/validate';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** GraphQL nulls to absent criteria. */
type CriteriaArg = { [K in keyof IncidentCriteria]?: IncidentCriteria[K] | null };
export function criteriaOf(input: CriteriaArg | null | undefined): IncidentCriteria {
  const criteria: { -readonly [K in keyof IncidentCriteria]: IncidentCriteria[K] } = {};
  if (!input) return criteria;
  for (const [key, value] of Object.entries(input)) if (value !== null && value !== undefined) Object.assign(criteria, { [key]: value });
  return criteria;
}

/** One mutation per status action, so a client's buttons map to fields. */
const STATUS_FIELDS: readonly { field: string; action: StatusAction; description: string }[] = [
  {
    field: 'verifyEmergencyIncident',
    action: 'VERIFY',
    description: 'The report is confirmed (REPORTED -> VERIFIED); a proposed incident becomes a real one.',
  },
  { field: 'respondToEmergencyIncident', action: 'RESPOND', description: 'The response starts (VERIFIED -> RESPONDING).' },
  { field: 'containEmergencyIncident', action: 'CONTAIN', description: 'The situation is under control (RESPONDING -> CONTAINED).' },
  {
    field: 'closeEmergencyIncident',
    action: 'CLOSE',
    description:
      'The emergency is over (CONTAINED -> CLOSED), or a report is dismissed as a false alarm with a `note` (REPORTED -> CLOSED). Dispatched resources become available again.',
  },
];

export function registerIncidentMutations(builder: HubBuilder, enums: EmergencyEnums, schema: IncidentSchema): void {
  const ReportInput = builder.inputType('EmergencyReportInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      type: t.field({ type: enums.IncidentType, required: true }),
      description: t.string({ required: false }),
      occurredAt: t.field({ type: 'DateTime', required: false }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      address: t.string({ required: false }),
      cellCode: t.string({ required: false, description: 'found from the position when not given' }),
      criteria: t.field({ type: schema.CriteriaInput, required: false }),
      level: t.field({ type: enums.IncidentLevel, required: false, description: 'proposed from the criteria when not given' }),
      warningColour: t.field({ type: enums.WarningColour, required: false, description: 'follows the level when not given' }),
      exceedances: t.globalIDList({ required: false }),
      sources: t.stringList({ required: false, description: 'unified social credit codes' }),
      cameras: t.stringList({ required: false }),
    }),
  });
  const AssessInput = builder.inputType('EmergencyAssessInput', {
    fields: (t) => ({
      criteria: t.field({ type: schema.CriteriaInput, required: true }),
      level: t.field({ type: enums.IncidentLevel, required: false, description: 'the level decided; the proposal from the criteria when not given' }),
      warningColour: t.field({ type: enums.WarningColour, required: false, description: 'follows the level when not given' }),
      note: t.string({ required: false }),
    }),
  });
  const LinkInput = builder.inputType('EmergencyLinkInput', {
    fields: (t) => ({
      exceedances: t.globalIDList({ required: false }),
      sources: t.stringList({ required: false, description: 'unified social credit codes' }),
      cameras: t.stringList({ required: false }),
    }),
  });

  builder.mutationFields((t) => ({
    reportEmergencyIncident: t.field({
      authScopes: { roles: [...STAFF] },
      type: EmergencyIncidentRef,
      description: 'Any staff member reports an incident (town officers and assistants in their own cells).',
      errors: ERRORS,
      args: { input: t.arg({ type: ReportInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(emergencyServiceRef).incidents.report(ctx.viewer, {
          title: input.title,
          type: input.type,
          description: input.description,
          occurredAt: input.occurredAt,
          longitude: input.longitude,
          latitude: input.latitude,
          address: input.address,
          cellCode: input.cellCode,
          criteria: criteriaOf(input.criteria),
          level: input.level,
          warningColour: input.warningColour,
          exceedanceIds: idsOf(input.exceedances, 'Exceedance', 'input.exceedances', MAX_LINKS),
          sourceUsccs: input.sources,
          cameraIds: input.cameras,
        }),
    }),
    assessEmergencyIncident: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyIncidentRef,
      description: 'Records the grading criteria and sets the level (and warning colour); recorded on the timeline.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), input: t.arg({ type: AssessInput, required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services.get(emergencyServiceRef).incidents.assess(ctx.viewer, idOf(args.id, 'EmergencyIncident', 'id'), {
          criteria: criteriaOf(args.input.criteria),
          level: args.input.level,
          warningColour: args.input.warningColour,
          note: args.input.note,
        }),
    }),
    reportEmergencyIncidentUpward: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyIncidentRef,
      description: 'Records that the incident was reported to the city and province (due within two hours for levels I and II).',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), note: t.arg.string({ required: false }) },
      resolve: (_root, args, ctx) =>
        ctx.services.get(emergencyServiceRef).incidents.reportUpward(ctx.viewer, idOf(args.id, 'EmergencyIncident', 'id'), args.note),
    }),
    linkToEmergencyIncident: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyIncidentRef,
      description: 'Links exceedance episodes, sources and cameras to the incident.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), input: t.arg({ type: LinkInput, required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services.get(emergencyServiceRef).incidents.link(ctx.viewer, idOf(args.id, 'EmergencyIncident', 'id'), {
          exceedanceIds: idsOf(args.input.exceedances, 'Exceedance', 'input.exceedances', MAX_LINKS),
          sourceUsccs: args.input.sources,
          cameraIds: args.input.cameras,
        }),
    }),
    addEmergencyIncidentNote: t.field({
      authScopes: { roles: [...STAFF] },
      type: EmergencyIncidentRef,
      description: 'Adds a note to the incident’s timeline.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), text: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(emergencyServiceRef).incidents.addNote(ctx.viewer, idOf(args.id, 'EmergencyIncident', 'id'), args.text),
    }),
    ...Object.fromEntries(
      STATUS_FIELDS.map(({ field, action, description }) => [
        field,
        t.field({
          authScopes: { roles: [...OFFICERS] },
          type: EmergencyIncidentRef,
          description,
          errors: ERRORS,
          args: { id: t.arg.globalID({ required: true }), note: t.arg.string({ required: false }) },
          resolve: (_root, args, ctx) =>
            ctx.services.get(emergencyServiceRef).incidents.transition(ctx.viewer, idOf(args.id, 'EmergencyIncident', 'id'), action, args.note),
        }),
      ]),
    ),
  }));
}
