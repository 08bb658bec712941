/** A loading line or an error in words; the space is kept so the layout does not jump. */
export function Status({ loading, error }: { loading?: boolean; error?: string | undefined }) {
  if (error) {
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  }
  return (
    <p class="status" aria-live="polite">
      {loading ? 'Loading…' : '\u00a0'}
    </p>
  );
}
