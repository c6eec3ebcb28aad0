import { e2eSuite } from "./suite.ts";

e2eSuite({ scenario: "chat", apps: { app: "chat" } });
