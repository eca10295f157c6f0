import type { HubContext } from '../../graphql/context';
import { pageOf, type Connection, type PageArgs } from '../../graphql/pagination';
import type { ExceedanceFilter } from '../queries';
import { monitoringServiceRef } from '../service-ref';
import type { Exceedance } from '../types';

/**
 * One page of exceedance episodes, newest first, through the same scoped reads as the root
 * `exceedances` list: an entity's own list (an enterprise's, a monitor's) shows a viewer exactly
 * the rows the root list would, an enterprise token only its own and the public none.
 */
export async function exceedancePage(
  ctx: HubContext,
  args: PageArgs,
  filter: Pick<ExceedanceFilter, 'monitorId' | 'enterpriseUscc'>,
): Promise<Connection<Exceedance>> {
  const list = ctx.services.get(monitoringServiceRef);
  return pageOf(args, 'descending', (window) => list.listExceedances(ctx.viewer, filter, window), {
    idOf: (e) => e.id,
    count: () => list.countExceedances(ctx.viewer, filter),
  });
}
