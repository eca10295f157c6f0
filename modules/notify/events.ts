import { defineEvent } from '../../src/events/topics';

/** A notification was added to a person's outbox: the in-app channel's live feed. */
export interface NotificationEventPayload {
  id: number;
  recipient: string;
}

export const notificationAdded = defineEvent<NotificationEventPayload>('notify.notification.added');
