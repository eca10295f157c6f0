/**
 * Chinese terms on enum values. The people who read the schema (and the screens built on it) read
 * Chinese; every enum value carries its term as its description, an English note after it.
 */

type Described = { description?: string | undefined; value?: unknown; deprecationReason?: string | undefined };

const HAS_HAN = /\p{Script=Han}/u;

function describe(term: string, note: string | undefined): string {
  if (!note) return term;
  return HAS_HAN.test(note) ? note : `${term}: ${note}`;
}

/** Values as Pothos takes them, each described by its Chinese term; `terms` must name every value. */
export function zhValues<const V extends string>(values: readonly V[], terms: Record<V, string>): Record<V, { description: string }>;
export function zhValues<const O extends Record<string, Described>>(
  values: O,
  terms: Record<keyof O & string, string>,
): { [K in keyof O]: O[K] & { description: string } };
export function zhValues(values: readonly string[] | Record<string, Described>, terms: Record<string, string>): Record<string, Described> {
  const entries: [string, Described][] = Array.isArray(values) ? values.map((name) => [name, {}]) : Object.entries(values);
  return Object.fromEntries(entries.map(([name, value]) => [name, { ...value, description: describe(terms[name] ?? name, value.description) }]));
}
