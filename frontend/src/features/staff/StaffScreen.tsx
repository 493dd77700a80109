import { useRef, useState } from "preact/hooks";
import {
  deactivateStaff,
  getStaff,
  inviteStaff,
  listStaff,
  reactivateStaff,
  resendInvitation,
  type Staff,
  type StaffRole,
  updateStaff,
} from "../../api/staff";
import { Alert, CheckboxField, SelectField, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { Modal } from "../../ui/Modal";
import { ROLE_NAMES, useShell } from "../../shell/context";
import { LoadMore, usePaged } from "../../ui/usePaged";

const STATUS_NAMES: Record<Staff["status"], string> = {
  invited: "Invited",
  active: "Active",
  deactivated: "Deactivated",
};

const yesNo = (value: boolean) => (value ? "Yes" : "No");

type Dialog = { kind: "edit" | "deactivate"; staff: Staff } | null;

export default function StaffScreen() {
  const { session } = useShell();
  const staff = usePaged((cursor) => listStaff(cursor), []);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  function replace(updated: Staff) {
    staff.setItems((items) => items.map((item) => (item.id === updated.id ? updated : item)));
  }

  async function perform(request: () => Promise<Staff>, message: (updated: Staff) => string) {
    setDone(null);
    await action.run(async () => {
      const updated = await request();
      replace(updated);
      setDone(message(updated));
    });
  }

  const rowActions: RowActions = {
    edit: (person) => setDialog({ kind: "edit", staff: person }),
    deactivate: (person) => setDialog({ kind: "deactivate", staff: person }),
    reactivate: (person) =>
      perform(
        () => reactivateStaff(person.id),
        (p) => `${p.name} can sign in again.`,
      ),
    resend: (person) =>
      perform(
        () => resendInvitation(person.id),
        (p) =>
          p.invitation_delivery === "failed"
            ? `The invitation to ${p.name} could not be delivered. Check the address and try again.`
            : `Invitation sent again to ${p.email}. Earlier links no longer work.`,
      ),
  };

  return (
    <>
      <PageHeading title="Staff">Staff</PageHeading>
      <Status message={done} />
      <Alert error={action.error ?? staff.error} />
      {staff.loading && staff.items.length === 0 ? (
        <Loading />
      ) : (
        <StaffTable people={staff.items} selfId={session.principal.id} actions={rowActions} />
      )}
      <LoadMore hasMore={staff.hasMore} loading={staff.loading} onLoad={staff.loadMore} />
      <InviteForm onInvited={(person) => staff.setItems((items) => [person, ...items])} />
      {dialog?.kind === "edit" && (
        <EditDialog
          person={dialog.staff}
          onClose={() => setDialog(null)}
          onSaved={(updated) => {
            replace(updated);
            setDialog(null);
            setDone(`${updated.name}'s details were saved.`);
          }}
          onReloaded={replace}
        />
      )}
      {dialog?.kind === "deactivate" && (
        <DeactivateDialog
          person={dialog.staff}
          onClose={() => setDialog(null)}
          onConfirm={() => {
            const person = dialog.staff;
            setDialog(null);
            return perform(
              () => deactivateStaff(person.id),
              (p) => `${p.name} was deactivated and signed out.`,
            );
          }}
        />
      )}
    </>
  );
}

interface RowActions {
  edit: (person: Staff) => void;
  deactivate: (person: Staff) => void;
  reactivate: (person: Staff) => void;
  resend: (person: Staff) => void;
}

function StaffTable({ people, selfId, actions }: { people: Staff[]; selfId: string; actions: RowActions }) {
  return (
    <div class="table-scroll" role="region" aria-labelledby="staff-caption" tabIndex={0}>
      <table>
        <caption id="staff-caption">Staff members</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">May send client invitations</th>
            <th scope="col">Subscription seat</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <StaffRow key={person.id} person={person} isSelf={person.id === selfId} actions={actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StaffRow({ person, isSelf, actions }: { person: Staff; isSelf: boolean; actions: RowActions }) {
  const deliveryFailed = person.status === "invited" && person.invitation_delivery === "failed";
  return (
    <tr>
      <th scope="row">{person.name}</th>
      <td>{person.email}</td>
      <td>{ROLE_NAMES[person.role]}</td>
      <td>
        {STATUS_NAMES[person.status]}
        {deliveryFailed && <p class="warning">Warning: the invitation email could not be delivered.</p>}
      </td>
      <td>{yesNo(person.can_invite_clients)}</td>
      <td>{yesNo(person.subscribed)}</td>
      <td>
        <div class="row-actions">
          {person.status !== "deactivated" && (
            <button
              type="button"
              class="button-small button-secondary"
              aria-label={`Edit ${person.name}`}
              onClick={() => actions.edit(person)}
            >
              Edit
            </button>
          )}
          {person.status === "invited" && (
            <button
              type="button"
              class="button-small button-secondary"
              aria-label={`Resend invitation to ${person.name}`}
              onClick={() => actions.resend(person)}
            >
              Resend invitation
            </button>
          )}
          {person.status !== "deactivated" && !isSelf && (
            <button
              type="button"
              class="button-small button-danger"
              aria-label={`Deactivate ${person.name}`}
              onClick={() => actions.deactivate(person)}
            >
              Deactivate
            </button>
          )}
          {person.status === "deactivated" && (
            <button
              type="button"
              class="button-small"
              aria-label={`Reactivate ${person.name}`}
              onClick={() => actions.reactivate(person)}
            >
              Reactivate
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function RoleOptions() {
  return (
    <>
      <option value="therapist">{ROLE_NAMES.therapist}</option>
      <option value="administrator">{ROLE_NAMES.administrator}</option>
    </>
  );
}

function InviteForm({ onInvited }: { onInvited: (person: Staff) => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<StaffRole>("therapist");
  const [canInvite, setCanInvite] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    setSent(null);
    await run(async () => {
      const person = await inviteStaff({ name, email, role, can_invite_clients: canInvite });
      onInvited(person);
      setSent(
        person.invitation_delivery === "failed"
          ? `${person.name} was added, but the invitation email could not be delivered. Use “Resend invitation” in the table.`
          : `Invitation sent to ${person.email}.`,
      );
      setName("");
      setEmail("");
      setRole("therapist");
      setCanInvite(false);
    });
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a staff member</h2>
      <p class="hint">They get an email with a link to set their password. The link works once.</p>
      <Status message={sent} />
      <Alert error={error} fields={["name", "email", "role", "can_invite_clients"]} />
      <TextField
        label="Name"
        value={name}
        onValue={setName}
        autoComplete="off"
        required
        error={errorFor(apiError, "name")}
      />
      <TextField
        label="Email"
        type="email"
        value={email}
        onValue={setEmail}
        autoComplete="off"
        required
        error={errorFor(apiError, "email")}
      />
      <SelectField
        label="Role"
        value={role}
        onValue={(value) => setRole(value as StaffRole)}
        error={errorFor(apiError, "role")}
      >
        <RoleOptions />
      </SelectField>
      <CheckboxField label="May send client invitations" checked={canInvite} onChecked={setCanInvite} />
      <button type="submit" class="button" aria-disabled={busy}>
        Send invitation
      </button>
    </form>
  );
}

interface EditDialogProps {
  person: Staff;
  onClose: () => void;
  onSaved: (updated: Staff) => void;
  /** Someone else changed the person meanwhile: the table shows their latest record too. */
  onReloaded: (latest: Staff) => void;
}

function EditDialog({ person, onClose, onSaved, onReloaded }: EditDialogProps) {
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

function DeactivateDialog({
  person,
  onClose,
  onConfirm,
}: {
  person: Staff;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      role="alertdialog"
      labelledBy="deactivate-heading"
      describedBy="deactivate-text"
      onCancel={onClose}
      initialFocus={cancel}
    >
      <h2 id="deactivate-heading">Deactivate {person.name}?</h2>
      <p id="deactivate-text">
        They will be signed out everywhere and can no longer sign in. You can reactivate them later.
      </p>
      <div class="actions">
        <button type="button" class="button button-danger" onClick={onConfirm}>
          Yes, deactivate
        </button>
        <button ref={cancel} type="button" class="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
