/** `put-config` → `PutConfig`: readable construct (and so logical) IDs. */
export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
