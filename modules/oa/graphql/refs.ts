import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../../src/graphql/builder';
import type { OaDocument, OaNotice, OaPerson, OaSupervisedTask, OaWorkflowDefinition, OaWorkflowInstance } from '../service/types';

/** Refs other modules may point at (an approval or document about their entity). */
export const OaPersonRef = new ObjectRef<HubTypes, OaPerson>('OaPerson');
export const OaDocumentRef = new ObjectRef<HubTypes, OaDocument>('OaDocument');
export const OaWorkflowDefinitionRef = new ObjectRef<HubTypes, OaWorkflowDefinition>('OaWorkflowDefinition');
export const OaWorkflowInstanceRef = new ObjectRef<HubTypes, OaWorkflowInstance>('OaWorkflowInstance');
export const OaNoticeRef = new ObjectRef<HubTypes, OaNotice>('OaNotice');
export const OaSupervisedTaskRef = new ObjectRef<HubTypes, OaSupervisedTask>('OaSupervisedTask');
