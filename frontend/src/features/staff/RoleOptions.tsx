import { ROLE_NAMES } from "../../shell/context";

/** The staff roles, as options of a role select. */
export function RoleOptions() {
  return (
    <>
      <option value="therapist">{ROLE_NAMES.therapist}</option>
      <option value="administrator">{ROLE_NAMES.administrator}</option>
    </>
  );
}
