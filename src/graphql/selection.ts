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
