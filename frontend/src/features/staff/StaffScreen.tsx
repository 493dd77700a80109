// Administrators' list of staff: invite, edit, deactivate and reactivate, resend invitations, reset a second factor.
import { useState } from "preact/hooks";
import { deactivateStaff, listStaff, reactivateStaff, resendInvitation, type Staff } from "../../api/staff";
import { resetStaffFactor } from "../../api/secondFactor";
import { useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { LoadMore, usePaged } from "../../ui/usePaged";
import { useStepUp } from "../security/StepUp";
import { EditStaffDialog } from "./EditStaffDialog";
import { InviteStaffForm } from "./InviteStaffForm";
import { type RowActions, StaffTable } from "./StaffTable";

type Dialog = { kind: "edit" | "deactivate" | "reset"; staff: Staff } | null;

export default function StaffScreen() {
  const { session } = useShell();
  const staff = usePaged((cursor) => listStaff(cursor), []);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const stepUp = useStepUp(action.setError);

  async function resetFactor(person: Staff) {
    setDone(null);
    await action.run(async () => {
      const ran = await stepUp.guarded(async () => {
        await resetStaffFactor(person.id);
        replace({ ...person, has_second_factor: false });
        setDone(`${person.name}'s second factor was reset. They will set up a new one when they next sign in.`);
      });
      if (!ran) setDone(null);
    });
  }

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
    resetFactor: (person) => setDialog({ kind: "reset", staff: person }),
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
      <InviteStaffForm onInvited={(person) => staff.setItems((items) => [person, ...items])} />
      {dialog?.kind === "edit" && (
        <EditStaffDialog
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
      {dialog?.kind === "reset" && (
        <ConfirmDialog
          title={`Reset ${dialog.staff.name}'s second factor?`}
          confirmLabel="Yes, reset"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            const person = dialog.staff;
            setDialog(null);
            return resetFactor(person);
          }}
        >
          Their passkeys, authenticator app and recovery codes stop working, they are signed out everywhere, and they
          must set up a new second factor when they next sign in.
        </ConfirmDialog>
      )}
      {stepUp.dialog}
      {dialog?.kind === "deactivate" && (
        <ConfirmDialog
          title={`Deactivate ${dialog.staff.name}?`}
          confirmLabel="Yes, deactivate"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            const person = dialog.staff;
            setDialog(null);
            return perform(
              () => deactivateStaff(person.id),
              (p) => `${p.name} was deactivated and signed out.`,
            );
          }}
        >
          They will be signed out everywhere and can no longer sign in. You can reactivate them later.
        </ConfirmDialog>
      )}
    </>
  );
}
