import { e2eSuite } from "./suite.ts";

e2eSuite({ scenario: "media", apps: { app: "media" } });
