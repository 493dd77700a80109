import { render } from "preact";
import { lazy } from "./lazy";
import { startRouter, useLocation } from "./router";
import "./styles.css";
import "./layout.css";

const Landing = lazy(() => import("./features/public/Landing"));
const SignIn = lazy(() => import("./features/account/SignIn"));
const ForgotPassword = lazy(() => import("./features/account/ForgotPassword"));
const SetPassword = lazy(() => import("./features/account/SetPassword"));
const SignUp = lazy(() => import("./features/account/SignUp"));
const Shell = lazy(() => import("./shell/Shell"));
const NotFound = lazy(() => import("./features/public/NotFound"));

const ORG_ROUTE = /^\/o\/([^/]+)(?:\/(forgot|set-password|sign-up|app(?:\/.*)?))?\/?$/;

function App() {
  const { path, search } = useLocation();
  if (path === "/") return <Landing />;

  const match = ORG_ROUTE.exec(path);
  if (!match) return <NotFound />;
  const slug = decodeURIComponent(match[1]);
  const rest = match[2] ?? "";

  if (rest === "") return <SignIn key={slug} slug={slug} reason={search.get("reason")} />;
  if (rest === "forgot") return <ForgotPassword key={slug} slug={slug} />;
  if (rest === "set-password") return <SetPassword key={slug} slug={slug} />;
  if (rest === "sign-up") return <SignUp key={slug} slug={slug} />;
  return <Shell key={slug} slug={slug} section={rest.slice("app/".length).replace(/\/$/, "")} />;
}

startRouter();
render(<App />, document.getElementById("app") as HTMLElement);
