/** A typed event topic: `'<module>.<noun>.<past-tense verb>'`, carrying payloads of type T. */
export interface EventTopic<T> {
  readonly name: string;
  /** phantom: carries T for inference only */
  readonly __payload?: T;
}

export function defineEvent<T>(name: string): EventTopic<T> {
  if (!/^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9]*){2,}$/.test(name)) {
    throw new Error(`event topic "${name}" must look like "<module>.<noun>.<verb>"`);
  }
  return Object.freeze({ name });
}

export interface HubEvent<T = unknown> {
  /** outbox id: increasing in commit order; a client resumes with `since: id` */
  readonly id: number;
  readonly topic: string;
  readonly payload: T;
  readonly occurredAt: Date;
}

export function isTopic<T>(event: HubEvent, topic: EventTopic<T>): event is HubEvent<T> {
  return event.topic === topic.name;
}
