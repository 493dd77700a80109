// The builder's list of fields: edit, move, remove, add. Focus follows the field that moved or the neighbour of
// the one removed, and each change is announced, so keyboard and screen-reader users keep their place.
import { useEffect, useRef, useState } from "preact/hooks";
import type { FormDefinition } from "../../../api/formDefinition";
import { type DraftField, deriveId, draftOf, newField } from "./draft";

export function useDraftFields(initial: FormDefinition | null, announce: (message: string) => void) {
  const [fields, setFields] = useState<DraftField[]>(() => (initial ? draftOf(initial) : [newField([])]));
  const [focus, setFocus] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!focus) return;
    form.current?.querySelector<HTMLElement>(focus)?.focus();
    setFocus(null);
  }, [focus]);

  function update(key: number, change: Partial<DraftField>) {
    setFields((current) =>
      current.map((field) => {
        if (field.key !== key) return field;
        const next = { ...field, ...change };
        if (change.label !== undefined && !next.idEdited) {
          const taken = new Set(current.filter((other) => other.key !== key).map((other) => other.id));
          next.id = deriveId(change.label, taken);
        }
        return next;
      }),
    );
  }

  function move(index: number, direction: "up" | "down") {
    const to = direction === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= fields.length) return;
    const next = [...fields];
    [next[index], next[to]] = [next[to], next[index]];
    setFields(next);
    const key = fields[index].key;
    const other = direction === "up" ? "down" : "up";
    const reached = direction === "up" ? to === 0 : to === next.length - 1;
    setFocus(`[data-move="${reached ? other : direction}:${key}"]`);
    announce(`${fields[index].label.trim() || `Field ${index + 1}`} moved ${direction} to position ${to + 1}.`);
  }

  function remove(index: number) {
    const removed = fields[index];
    const next = fields
      .filter((field) => field.key !== removed.key)
      // Fields shown only for the removed question are shown always now.
      .map((field) => (field.showIf === removed.key ? { ...field, showIf: null, showIfValue: "" } : field));
    setFields(next);
    const neighbour = next[index] ?? next[index - 1];
    setFocus(neighbour ? `[data-field-key="${neighbour.key}"] select` : "[data-add-field]");
    announce(`Removed ${removed.label.trim() || `field ${index + 1}`}.`);
  }

  function add() {
    const field = newField(fields);
    setFields([...fields, field]);
    setFocus(`[data-field-key="${field.key}"] select`);
  }

  return { fields, setFields, form, focusOn: setFocus, update, move, remove, add };
}
