import { useState } from "preact/hooks";
import { getStaff, type Staff, type StaffRole, updateStaff } from "../../api/staff";
import { Alert, CheckboxField, SelectField, errorFor, useAction } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { RoleOptions } from "./RoleOptions";

interface EditStaffDialogProps {
  person: Staff;
  onClose: () => void;
  onSaved: (updated: Staff) => void;
  /** Someone else changed the person meanwhile: the table shows their latest record too. */
  onReloaded: (latest: Staff) => void;
}

/** A staff member's role and permission to invite clients; a conflicting change shows the latest record. */
export function EditStaffDialog({ person, onClose, onSaved, onReloaded }: EditStaffDialogProps) {
  const [current, setCurrent] = useState(person);
  const [role, setRole] = useState<StaffRole>(person.role);
  const [canInvite, setCanInvite] = useState(person.can_invite_clients);
  const { busy, error, apiError, setError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    const failure = await run(async () => {
      onSaved(await updateStaff(current.id, { version: current.version, role, can_invite_clients: canInvite }));
    });
    if (failure?.type !== "/problems/stale-version") return;
    const reloadFailure = await run(async () => {
      const latest = await getStaff(current.id);
      setCurrent(latest);
      setRole(latest.role);
      setCanInvite(latest.can_invite_clients);
      onReloaded(latest);
    });
    if (!reloadFailure) {
      setError(
        `Someone else changed ${current.name} meanwhile — showing the latest values. Save again to apply changes.`,
      );
    }
  }

  return (
    <Modal labelledBy="edit-heading" onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="edit-heading">Edit {current.name}</h2>
        <Alert error={error} fields={["role", "can_invite_clients"]} />
        <SelectField
          label="Role"
          value={role}
          onValue={(value) => setRole(value as StaffRole)}
          error={errorFor(apiError, "role")}
        >
          <RoleOptions />
        </SelectField>
        <CheckboxField label="May send client invitations" checked={canInvite} onChecked={setCanInvite} />
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy}>
            Save
          </button>
          <button type="button" class="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
