// The API's contract as TypeScript types. `npm run generate` writes schema.d.ts from frontend/openapi.json (the
// committed copy of /api/openapi.json, refreshed by `make openapi`); every request below is checked against it.
import type { components, paths } from "./schema";

/** A model of the API by its OpenAPI name: Schema<"ClientView">. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** Replaces fields the API declares loosely (a form definition is a free-form object there) with the app's model. */
export type Refine<T, Fields> = Omit<T, keyof Fields> & Fields;

export type Method = "get" | "post" | "put" | "patch" | "delete";
export type Path = keyof paths;

/** The methods the API serves at a path. */
export type MethodOf<P extends Path> = {
  [M in Method]: paths[P][M] extends { responses: unknown } ? M : never;
}[Method];

type Operation<P extends Path, M extends Method> = paths[P][M];

type PathParams<O> = O extends { parameters: { path: infer Params } } ? Params : never;
type QueryParams<O> = O extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
type JsonBody<O> = O extends { requestBody: { content: { "application/json": infer Body } } } ? Body : never;
type Success<O> = O extends { responses: infer Responses }
  ? Responses[Extract<keyof Responses, 200 | 201 | 202 | 204>]
  : never;

/** What a successful call answers: its JSON document, or nothing (204). */
export type ResponseBody<P extends Path, M extends Method> =
  Success<Operation<P, M>> extends { content: { "application/json": infer Body } } ? Body : void;

type Optional<Part, Key extends string> = [Part] extends [never] ? { [K in Key]?: never } : { [K in Key]: Part };

/** Path parameters, query and JSON body exactly as the operation declares them; query values may be left empty. */
export type Parameters<P extends Path, M extends Method> = Optional<PathParams<Operation<P, M>>, "path"> &
  Optional<JsonBody<Operation<P, M>>, "body"> & {
    query?: { [K in keyof QueryParams<Operation<P, M>>]?: QueryParams<Operation<P, M>>[K] | null };
  };
