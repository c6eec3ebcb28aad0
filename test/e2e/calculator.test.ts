import { e2eSuite } from "./suite.ts";

e2eSuite({ scenario: "calculator", apps: { app: "calculator" } });
