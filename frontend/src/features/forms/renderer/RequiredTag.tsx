export function RequiredTag({ id }: { id?: string }) {
  return (
    <span id={id} class="required-tag">
      Required
    </span>
  );
}
