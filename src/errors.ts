/**
 * The hub's domain errors, with no GraphQL in them: services throw these, whoever calls them. Two
 * channels on the way out, both in src/graphql: an expected outcome becomes a typed result where a
 * field lists it (error-types.ts, the errors plugin); anything else reaching a client is either a
 * HubError with its stable code or masked (mask.ts). HTTP routes map them to statuses themselves.
 */

export class HubError extends Error {
  /** stable machine-readable code, sent as `extensions.code` */
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** Input the client can correct: each problem names the input path at fault. */
export class ValidationError extends HubError {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[] | string) {
    const list = typeof problems === 'string' ? [{ path: '', message: problems }] : problems;
    super('BAD_USER_INPUT', list.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '));
    this.problems = list;
  }
}

export class NotFoundError extends HubError {
  readonly entity: string;
  readonly key: string;
  constructor(entity: string, key: string) {
    super('NOT_FOUND', `${entity} ${key} not found`);
    this.entity = entity;
    this.key = key;
  }
}

/** The action is not allowed in the entity's current state (an invalid transition, a duplicate). */
export class ConflictError extends HubError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/** The viewer may see the entity but not do this to it. */
export class ForbiddenError extends HubError {
  constructor(message = 'not allowed') {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends HubError {
  constructor(message = 'authentication required') {
    super('UNAUTHENTICATED', message);
  }
}

export class LimitError extends HubError {
  constructor(message: string) {
    super('LIMIT_EXCEEDED', message);
  }
}
