import type { Staff } from "../../api/staff";
import { ROLE_NAMES, useShell } from "../../shell/context";
import { dayIn, zoneName } from "../../ui/readerZone";

const STATUS_NAMES: Record<Staff["status"], string> = {
  invited: "Invited",
  active: "Active",
  deactivated: "Deactivated",
};

const yesNo = (value: boolean) => (value ? "Yes" : "No");

export interface RowActions {
  edit: (person: Staff) => void;
  deactivate: (person: Staff) => void;
  reactivate: (person: Staff) => void;
  resend: (person: Staff) => void;
  resetFactor: (person: Staff) => void;
}

/** The practice's staff, one row each, with the actions that fit each person's status. */
export function StaffTable({ people, selfId, actions }: { people: Staff[]; selfId: string; actions: RowActions }) {
  const zone = useShell().session.time_zone; // the practice's
  const day = dayIn(zone);
  return (
    <div class="table-scroll" role="region" aria-labelledby="staff-caption" tabIndex={0}>
      <table class="stack">
        <caption id="staff-caption">Staff members (dates in {zoneName(zone)})</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">May send client invitations</th>
            <th scope="col">Subscription seat</th>
            <th scope="col">Second factor</th>
            <th scope="col">Last signed in</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <StaffRow key={person.id} person={person} isSelf={person.id === selfId} actions={actions} day={day} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  person: Staff;
  isSelf: boolean;
  actions: RowActions;
  day: Intl.DateTimeFormat;
}

function StaffRow({ person, isSelf, actions, day }: RowProps) {
  const deliveryFailed = person.status === "invited" && person.invitation_delivery === "failed";
  return (
    <tr>
      <th scope="row">{person.name}</th>
      <td data-label="Email">{person.email}</td>
      <td data-label="Role">{ROLE_NAMES[person.role]}</td>
      <td data-label="Status">
        {STATUS_NAMES[person.status]}
        {deliveryFailed && <p class="warning">Warning: the invitation email could not be delivered.</p>}
      </td>
      <td data-label="May send client invitations">{yesNo(person.can_invite_clients)}</td>
      <td data-label="Subscription seat">{yesNo(person.subscribed)}</td>
      <td data-label="Second factor">{person.has_second_factor ? "Set up" : "None"}</td>
      <td data-label="Last signed in">
        {person.last_sign_in_at ? (
          <time dateTime={person.last_sign_in_at}>{day.format(new Date(person.last_sign_in_at))}</time>
        ) : (
          "Never"
        )}
      </td>
      <td class="cell-actions">
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
          {person.has_second_factor && !isSelf && (
            <button
              type="button"
              class="button-small button-secondary"
              aria-label={`Reset second factor of ${person.name}`}
              onClick={() => actions.resetFactor(person)}
            >
              Reset second factor
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
