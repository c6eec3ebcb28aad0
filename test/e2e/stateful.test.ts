import { e2eSuite } from "./suite.ts";

e2eSuite({ scenario: "stateful", apps: { app: "stateful" } });
