import { ApolloServer } from '@apollo/server';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse, type DocumentNode, type GraphQLError } from 'graphql';

// @apollo/gateway reports nothing anywhere with this set before it is constructed
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

/** The subgraph SDL a hub publishes on /federation, read as a router reads it. */
export async function hubSubgraphSdl(port: number, token: string): Promise<DocumentNode> {
  const response = await fetch(`http://127.0.0.1:${port}/federation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const sdl = (await response.json()) as { data: { _service: { sdl: string } } };
  return parse(sdl.data._service.sdl);
}

export interface RouterService {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

/**
 * A platform's router (@apollo/gateway) over these subgraphs, sending each the upstream token
 * `tokenFor` gives its URL: the composition's errors for the test to check, and `start` for the
 * router once they are none.
 */
export function composeRouter(
  services: readonly RouterService[],
  tokenFor: (url: string) => string | undefined,
): { errors: readonly GraphQLError[]; start(): Promise<ApolloServer> } {
  const composed = composeServices([...services]);
  return {
    errors: composed.errors ?? [],
    start: async () => {
      const gateway = new ApolloGateway({
        supergraphSdl: composed.supergraphSdl as string,
        buildService: ({ url }) =>
          new RemoteGraphQLDataSource({
            url,
            willSendRequest: ({ request }) => {
              request.http?.headers.set('authorization', `Bearer ${tokenFor(url as string)}`);
            },
          }),
      });
      const router = new ApolloServer({ gateway });
      await router.start();
      return router;
    },
  };
}
