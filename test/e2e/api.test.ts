import { e2eSuite } from "./suite.ts";

e2eSuite({ scenario: "api", apps: { app: "api" } });
