export { CELL_CODE, USCC, PHONE, Problems, optionalText } from '../../../src/validation';

/** Linked episodes, sources and cameras per incident. */
export const MAX_LINKS = 50;
