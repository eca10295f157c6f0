import type { HubContext } from '../../graphql/context';
import { readPage, toConnection, type Connection, type PageArgs } from '../../graphql/pagination';
import type { ExceedanceFilter } from '../queries';
import { monitoringServiceRef } from '../service-ref';
import type { Exceedance } from '../types';

/**
 * One page of exceedance episodes, newest first, through the same scoped reads as the root
 * `exceedances` list: an entity's own list (an enterprise's, a monitor's) shows a viewer exactly
 * the rows the root list would, an enterprise token only its own and the public none.
 */
export async function exceedancePage(ctx: HubContext, args: PageArgs, filter: Pick<ExceedanceFilter, 'monitorId' | 'enterpriseUscc'>): Promise<Connection<Exceedance>> {
  const page = readPage(args);
  const list = ctx.services.get(monitoringServiceRef);
  const rows = await list.listExceedances(ctx.viewer, filter, { limit: page.limit + 1, beforeId: page.after });
  return toConnection(rows, page.limit, (e) => e.id, page.after !== undefined, () => list.countExceedances(ctx.viewer, filter));
}
