import { appPath, useShell } from "../../../shell/context";

export function BackLink() {
  const { slug } = useShell();
  return (
    <p>
      <a href={appPath(slug, "forms")}>Back to intake forms</a>
    </p>
  );
}
