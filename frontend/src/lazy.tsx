// Code-split screens: each screen module is fetched the first time it is shown.
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Loading } from "./ui/layout";

type Loader<P> = () => Promise<{ default: ComponentType<P> }>;

export function lazy<P extends object>(load: Loader<P>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const ensure = () => {
    pending ??= load().then((module) => (loaded = module.default));
    return pending;
  };

  return function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);

    useEffect(() => {
      if (Screen) return;
      let live = true;
      ensure().then(
        (component) => live && setScreen(() => component),
        () => {
          pending = null;
          if (live) setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, []);

    if (Screen) return <Screen {...props} />;
    if (failed) {
      return (
        <p role="alert" class="notice notice-error">
          This page couldn't be loaded. Check your connection and{" "}
          <button type="button" class="link-button" onClick={() => location.reload()}>
            reload the page
          </button>
          .
        </p>
      );
    }
    return <Loading />;
  };
}
