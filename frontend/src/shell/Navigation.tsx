import { useEffect, useRef, useState } from "preact/hooks";
import { appPath } from "./context";

export interface NavItem {
  path: string;
  label: string;
  /** A count shown beside the label (unread messages), announced as "N unread". */
  badge?: number;
}

interface NavigationProps {
  slug: string;
  items: NavItem[];
  current: string;
  onSignOut: () => void;
}

/** Main navigation; on narrow screens it folds behind a "Menu" button. */
export function Navigation({ slug, items, current, onSignOut }: NavigationProps) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);

  useEffect(() => setOpen(false), [current]);

  function closeOnEscape(event: KeyboardEvent) {
    if (event.key === "Escape" && open) {
      setOpen(false);
      menuButton.current?.focus();
    }
  }

  return (
    <nav aria-label="Main" class="main-nav" onKeyDown={closeOnEscape}>
      <button
        ref={menuButton}
        type="button"
        class="menu-button"
        aria-expanded={open}
        aria-controls="main-nav-list"
        onClick={() => setOpen(!open)}
      >
        Menu
      </button>
      <ul id="main-nav-list" class={open ? "open" : undefined}>
        {items.map((item) => (
          <li key={item.path}>
            <a href={appPath(slug, item.path)} aria-current={item.path === current ? "page" : undefined}>
              {item.label}
              {item.badge ? (
                <span class="badge nav-count">
                  {item.badge}
                  <span class="visually-hidden"> unread</span>
                </span>
              ) : null}
            </a>
          </li>
        ))}
        <li>
          <button type="button" class="nav-button" onClick={onSignOut}>
            Sign out
          </button>
        </li>
      </ul>
    </nav>
  );
}
