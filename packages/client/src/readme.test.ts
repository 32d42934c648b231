import { fileURLToPath } from "node:url";
import { readmeSnippets } from "@tiklive/test-support/readme";

readmeSnippets(fileURLToPath(new URL("../README.md", import.meta.url)), { min: 4 });
