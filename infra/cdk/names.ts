/** `put-config` → `PutConfig`: readable construct (and so logical) IDs. */
export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A stage's stack: `prod` → `config-ledger-prod`, unique in its account and region. */
export function stackNameOf(stage: string): string {
  return `config-ledger-${stage}`;
}
