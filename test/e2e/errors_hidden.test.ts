import { e2eSuite } from "./suite.ts";

e2eSuite({ scenario: "errors_hidden", apps: { app: "errors_hidden" } });
