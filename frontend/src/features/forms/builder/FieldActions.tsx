import type { DraftField } from "./draft";

interface FieldActionsProps {
  field: DraftField;
  index: number;
  count: number;
  onMove: (direction: "up" | "down") => void;
  onRemove: () => void;
}

/** Move a field up or down, or remove it; each button names the field for screen readers. */
export function FieldActions({ field, index, count, onMove, onRemove }: FieldActionsProps) {
  const name = field.label.trim() || `field ${index + 1}`;
  return (
    <div class="row-actions">
      {index > 0 && (
        <button
          type="button"
          class="button-small button-secondary"
          data-move={`up:${field.key}`}
          aria-label={`Move field up ${name}`}
          onClick={() => onMove("up")}
        >
          Move field up
        </button>
      )}
      {index < count - 1 && (
        <button
          type="button"
          class="button-small button-secondary"
          data-move={`down:${field.key}`}
          aria-label={`Move field down ${name}`}
          onClick={() => onMove("down")}
        >
          Move field down
        </button>
      )}
      <button type="button" class="button-small button-danger" aria-label={`Remove field ${name}`} onClick={onRemove}>
        Remove field
      </button>
    </div>
  );
}
