/**
 * The hub's entry runs as production unless the environment says otherwise: graphql-js makes a
 * development check on every type test it does while NODE_ENV is unset, and Apollo Server picks
 * development defaults. Imported first by src/main.ts, before anything reads the variable.
 */
process.env.NODE_ENV ??= 'production';
