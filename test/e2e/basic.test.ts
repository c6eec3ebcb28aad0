import { e2eSuite } from "./suite.ts";

e2eSuite({ scenario: "basic", apps: { app: "basic" } });
