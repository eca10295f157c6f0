export { CELL_CODE, USCC, PHONE, Problems, optionalText } from '../../../src/validation';
