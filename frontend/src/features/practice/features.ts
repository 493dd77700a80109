import type { FeatureKey } from "../../api/organizations";

export const FEATURES: { key: FeatureKey; label: string; description: string }[] = [
  { key: "payments", label: "Payments", description: "Clients pay open invoices by card in the portal." },
  {
    key: "intake_forms",
    label: "Intake forms",
    description: "Clients sign intake paperwork, such as the intake questionnaire and informed consent, online.",
  },
  {
    key: "self_scheduling",
    label: "Self-scheduling",
    description: "Clients book sessions in their therapist's open times. Needs a subscription seat.",
  },
  {
    key: "messaging",
    label: "Secure messaging",
    description: "Clients and their therapist exchange private messages. Needs a subscription seat.",
  },
];
