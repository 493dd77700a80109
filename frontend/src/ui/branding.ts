// A practice's branding on its pages: its accent colour (checked for contrast by the server) in place of the
// product's blue, and its logo as the page icon. The product's own look comes back on pages that are not a practice's.

export interface Branding {
  accent_color: string | null;
  logo_url: string | null;
}

const ROOT_PROPERTIES = ["--primary", "--primary-dark", "--focus"];
const PRODUCT_ICON = "/favicon.svg";

/** A darker shade for hover states and tinted notices (channels scaled towards black). */
function darker(hex: string, factor = 0.72): string {
  const channels = [1, 3, 5].map((index) => Math.round(parseInt(hex.slice(index, index + 2), 16) * factor));
  return `#${channels.map((channel) => channel.toString(16).padStart(2, "0")).join("")}`;
}

export function applyBranding(branding: Branding | null): void {
  const style = document.documentElement.style;
  const accent = branding?.accent_color;
  if (accent && /^#[0-9a-f]{6}$/i.test(accent)) {
    style.setProperty("--primary", accent);
    style.setProperty("--primary-dark", darker(accent));
    style.setProperty("--focus", `3px solid ${accent}`);
  } else {
    ROOT_PROPERTIES.forEach((property) => style.removeProperty(property));
  }
  const icon = document.querySelector<HTMLLinkElement>("link[rel='icon']");
  if (icon) {
    icon.href = branding?.logo_url ?? PRODUCT_ICON;
    icon.type = branding?.logo_url ? "" : "image/svg+xml";
  }
}
