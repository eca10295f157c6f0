export { idOf, orUndefined } from '../../../src/graphql/ids';
