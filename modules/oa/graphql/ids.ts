export { idOf, orUndefined } from '../../../src/graphql/ids';

/** Staff only: enterprises, devices, upstream platforms and the public never see OA. */
export const STAFF_ONLY = { staff: true } as const;
