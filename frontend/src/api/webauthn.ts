// Passkeys in the browser: the server's options (base64url JSON) to navigator.credentials, and the credential back
// to the JSON the API reads. Kept by hand (not PublicKeyCredential.parse*FromJSON) so older browsers work too.

type Json = Record<string, unknown>;

function toBytes(text: string): ArrayBuffer {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const raw = atob(base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes.buffer;
}

function toText(buffer: ArrayBuffer | null): string | undefined {
  if (!buffer) return undefined;
  let raw = "";
  new Uint8Array(buffer).forEach((byte) => (raw += String.fromCharCode(byte)));
  return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const descriptors = (list: unknown) =>
  ((list as Json[] | undefined) ?? []).map((item) => ({ ...item, id: toBytes(item.id as string) }));

export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && "PublicKeyCredential" in window && !!navigator.credentials;
}

/** Thrown when the person closes the browser's passkey prompt (or it times out). */
export class PasskeyCancelled extends Error {}

async function ask<T>(call: () => Promise<Credential | null>): Promise<T> {
  try {
    const credential = await call();
    if (!credential) throw new PasskeyCancelled("No passkey was chosen.");
    return credential as T;
  } catch (caught) {
    if (caught instanceof DOMException && (caught.name === "NotAllowedError" || caught.name === "AbortError")) {
      throw new PasskeyCancelled("The passkey prompt was closed or timed out. Try again.");
    }
    throw caught;
  }
}

export async function createPasskey(options: Json) {
  const user = options.user as Json;
  const publicKey = {
    ...options,
    challenge: toBytes(options.challenge as string),
    user: { ...user, id: toBytes(user.id as string) },
    excludeCredentials: descriptors(options.excludeCredentials),
  } as unknown as PublicKeyCredentialCreationOptions;
  const credential = await ask<PublicKeyCredential>(() => navigator.credentials.create({ publicKey }));
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id,
    rawId: toText(credential.rawId) as string,
    type: "public-key" as const,
    response: {
      clientDataJSON: toText(response.clientDataJSON) as string,
      attestationObject: toText(response.attestationObject) as string,
      transports: response.getTransports ? response.getTransports() : undefined,
    },
  };
}

export async function getPasskey(options: Json) {
  const publicKey = {
    ...options,
    challenge: toBytes(options.challenge as string),
    allowCredentials: descriptors(options.allowCredentials),
  } as unknown as PublicKeyCredentialRequestOptions;
  const credential = await ask<PublicKeyCredential>(() => navigator.credentials.get({ publicKey }));
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: toText(credential.rawId) as string,
    type: "public-key" as const,
    response: {
      clientDataJSON: toText(response.clientDataJSON) as string,
      authenticatorData: toText(response.authenticatorData) as string,
      signature: toText(response.signature) as string,
      userHandle: toText(response.userHandle),
    },
  };
}
