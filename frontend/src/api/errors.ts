// Problems the API answers (RFC 9457 problem+json) and the few the client makes up itself.
import type { Schema } from "./contract";

type Problem = Schema<"Problem">;
export type FieldError = Required<NonNullable<Problem["errors"]>[number]>;

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(status: number, type: string, title: string, detail: string, errors: FieldError[] = []) {
    super(detail || title);
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }
}

export function unexpected(status = 0): ApiError {
  return new ApiError(status, "about:blank", "Something went wrong", "Something went wrong. Please try again.");
}

export function networkError(): ApiError {
  return new ApiError(
    0,
    "about:blank",
    "Network error",
    "We couldn't reach the server. Check your connection and try again.",
  );
}

export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : unexpected();
}

/** The problem document of a failed response; a generic error when there is none. */
export async function problemOf(response: Response): Promise<ApiError> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      return new ApiError(
        response.status,
        body.type ?? "about:blank",
        body.title ?? response.statusText,
        body.detail ?? "",
        Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
      );
    } catch {
      // fall through to the generic error below
    }
  }
  return unexpected(response.status);
}
