// Branding: the accent colour (a field of the settings form, checked for contrast here as a hint and by the server)
// and the logo (uploaded on its own: an image straight to storage, checked by its bytes, then used).
import { useId, useRef, useState } from "preact/hooks";
import { LOGO_TYPES, MAX_LOGO_BYTES, removeLogo, uploadLogo } from "../../api/organizations";
import { useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, Status, TextField, useAction } from "../../ui/forms";

const PRODUCT_ACCENT = "#1d4ed8";
const PAGE = "#f6f7f9";

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((index) => {
    const channel = parseInt(hex.slice(index, index + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The lower of its contrasts with white text and with the page (WCAG); the server checks the same. */
export function accentContrast(hex: string): number | null {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return null;
  const ratio = (other: string) => {
    const [light, dark] = [luminance(hex), luminance(other)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
  };
  return Math.min(ratio("#ffffff"), ratio(PAGE));
}

interface AccentFieldProps {
  value: string | null;
  onValue: (value: string) => void;
  error?: string;
}

/** The accent colour: a colour picker and its hex value, with a preview of a button and the contrast it reaches. */
export function AccentField({ value, onValue, error }: AccentFieldProps) {
  const id = useId();
  const shown = value || PRODUCT_ACCENT;
  const contrast = accentContrast(shown);
  const enough = contrast !== null && contrast >= 4.5;
  return (
    <fieldset>
      <legend>Accent colour</legend>
      <p class="hint">Buttons and links in your portal use it. It needs a contrast of at least 4.5:1 with white.</p>
      <div class="color-row">
        <div class="field">
          <label for={id}>Pick</label>
          <input id={id} type="color" value={shown} onInput={(event) => onValue(event.currentTarget.value)} />
        </div>
        <TextField label="Hex value" value={value ?? ""} onValue={onValue} spellcheck={false} error={error} />
      </div>
      <p>
        <span class="swatch" style={{ background: shown }}>
          Sample button
        </span>{" "}
        {contrast !== null && (
          <span class={enough ? "hint" : "field-error"}>
            Contrast {Math.floor(contrast * 10) / 10}:1 {enough ? "— readable" : "— too light, choose a darker shade"}
          </span>
        )}
      </p>
      {value && (
        <button type="button" class="button-small button-secondary" onClick={() => onValue("")}>
          Use the standard blue
        </button>
      )}
    </fieldset>
  );
}

/** The practice's logo: shown on its sign-in pages, in the header and on its PDFs. */
export function LogoSection() {
  const { session, updateOrganization } = useShell();
  const logo = session.organization.logo_url;
  const file = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, setError, run } = useAction();

  async function chosen() {
    const picked = file.current?.files?.[0];
    setDone(null);
    if (!picked) return;
    if (!LOGO_TYPES.includes(picked.type)) return setError("Choose a PNG or JPEG image.");
    if (picked.size > MAX_LOGO_BYTES) return setError("Choose an image of at most 256 KB.");
    await run(async () => {
      const branding = await uploadLogo(picked);
      updateOrganization({ logo_url: branding.logo_url });
      setDone("Logo saved. It shows on your sign-in page and documents.");
    });
    if (file.current) file.current.value = "";
  }

  async function remove() {
    setConfirming(false);
    await run(async () => {
      await removeLogo();
      updateOrganization({ logo_url: null });
      setDone("Logo removed.");
    });
  }

  return (
    <section class="card" aria-labelledby="logo-heading">
      <h2 id="logo-heading">Logo</h2>
      <Status message={done} />
      <Alert error={error} fields={[]} />
      {logo ? (
        <img class="logo-preview" src={logo} alt={`${session.organization.name} logo`} />
      ) : (
        <p>No logo yet: your practice's name is shown on its own.</p>
      )}
      <div class="field">
        <label for={inputId}>{logo ? "Replace the logo" : "Upload a logo"}</label>
        <p id={`${inputId}-hint`} class="hint">
          PNG or JPEG, up to 256 KB. A wide logo about 80 pixels tall looks best.
        </p>
        <input
          id={inputId}
          ref={file}
          type="file"
          accept={LOGO_TYPES.join(",")}
          aria-describedby={`${inputId}-hint`}
          aria-disabled={busy}
          onChange={chosen}
        />
      </div>
      {logo && (
        <button type="button" class="button-small button-secondary" aria-disabled={busy} onClick={() => setConfirming(true)}>
          Remove the logo
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title="Remove the logo?"
          confirmLabel="Remove"
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        >
          Your sign-in page, header and new documents will show your practice's name only.
        </ConfirmDialog>
      )}
    </section>
  );
}
