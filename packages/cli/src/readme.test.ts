import { fileURLToPath } from "node:url";
import { readmeSnippets } from "../../../test/support/readme.js";

readmeSnippets(fileURLToPath(new URL("../README.md", import.meta.url)), { min: 3 });
