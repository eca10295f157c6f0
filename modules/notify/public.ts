import { createServiceRef } from '../../src/services';
import type { NotifyService } from './service/notify-service';

export const notifyServiceRef = createServiceRef<NotifyService>('notify');
export type { NotifyService, Notification, DeadLetter } from './service/notify-service';
export { notificationAdded, type NotificationEventPayload } from './events';
