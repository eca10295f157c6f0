import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

function fieldsNamed(selectionSet: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo, found: FieldNode[]): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fieldsNamed(selection.selectionSet, name, info, found);
    } else {
      fieldsNamed(info.fragments[selection.name.value]?.selectionSet, name, info, found);
    }
  }
}

/**
 * Whether the resolving field's selection reaches `path` (field names, aliases aside, through
 * fragments): a resolver that can read what lies there in its own statement does so only when
 * it will be asked for. Directives (`@include`, `@skip`) are not looked at, so a field that is
 * skipped still counts as asked: at worst its rows are read and not shown.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const node of level) fieldsNamed(node.selectionSet, name, info, next);
    if (next.length === 0) return false;
    level = next;
  }
  return true;
}

/**
 * The names of the fields selected at the end of `path` from the resolving field (aliases aside,
 * through fragments, `@include`/`@skip` not looked at): what a resolver that reads only some
 * columns must cover. Empty when nothing is selected there.
 */
export function fieldsAt(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const node of level) fieldsNamed(node.selectionSet, name, info, next);
    level = next;
  }
  const names = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else collect(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of level) collect(node.selectionSet);
  return names;
}
