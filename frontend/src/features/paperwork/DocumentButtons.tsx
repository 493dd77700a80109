/** "Open" (in a new tab) and "Download" for one signed document, named by its title for screen readers. */
export function DocumentButtons({
  title,
  busy,
  onShow,
}: {
  title: string;
  busy: boolean;
  onShow: (inline: boolean) => void;
}) {
  return (
    <div class="actions">
      <button
        type="button"
        class="button-small"
        aria-label={`Open ${title}`}
        aria-disabled={busy}
        onClick={() => onShow(true)}
      >
        Open
      </button>
      <button
        type="button"
        class="button-small button-secondary"
        aria-label={`Download ${title}`}
        aria-disabled={busy}
        onClick={() => onShow(false)}
      >
        Download
      </button>
    </div>
  );
}
