import { useState } from "preact/hooks";
import { inviteStaff, type Staff, type StaffRole } from "../../api/staff";
import { Alert, CheckboxField, SelectField, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { RoleOptions } from "./RoleOptions";

/** Invites an administrator or a therapist: they get a single-use link to set their password. */
export function InviteStaffForm({ onInvited }: { onInvited: (person: Staff) => void }) {
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
