// The practice's intake forms (administrators): versions, copies, order, retiring.
import type { Refine, Schema } from "./contract";
import type { FormDefinition } from "./formDefinition";
import { request } from "./request";

export type FormSummary = Schema<"FormSummaryView">;
export type FormVersion = Refine<Schema<"FormView">, { definition: FormDefinition }>;

export const listForms = () => request("get", "/api/forms");

export const getForm = (id: string, version?: number) =>
  request("get", "/api/forms/{form_id}", {
    path: { form_id: id },
    query: { version: version ? String(version) : null },
  }) as Promise<FormVersion>;

export const createForm = (definition: FormDefinition) => request("post", "/api/forms", { body: { definition } });

export const copyForm = (id: string) => request("post", "/api/forms", { body: { copy_of: id } });

export const updateForm = (id: string, head_version: number, definition: FormDefinition) =>
  request("put", "/api/forms/{form_id}", { path: { form_id: id }, body: { head_version, definition } });

export const retireForm = (id: string) => request("post", "/api/forms/{form_id}/retire", { path: { form_id: id } });

export const restoreForm = (id: string) => request("post", "/api/forms/{form_id}/restore", { path: { form_id: id } });

export const reorderForms = (form_ids: string[]) => request("put", "/api/form-order", { body: { form_ids } });
