import { e2eSuite } from "./suite.ts";

// The chain: text_to_image's output file fed to image_to_3d (two apps, two generated modules).
e2eSuite({ scenario: "chain", apps: { text_to_image: "text_to_image", image_to_3d: "image_to_3d" } });
