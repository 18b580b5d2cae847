// Validates the manifests without a cluster: every document against the Kubernetes API's OpenAPI
// schema (types, required fields, enums) as the kubernetes-models package compiles it, and, through
// TypeScript's excess-property check on the same package's types, every field name (a misspelt
// field, which the API server would drop or refuse, is an error here). Run by validate.sh.
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2];
const work = process.argv[3];
// apiVersion/kind → the package's module (group path) and class
const modules = { "v1": "v1", "batch/v1": "batch/v1", "apps/v1": "apps/v1" };
let failures = 0;
let ts = "";
let n = 0;
for (const file of readdirSync(dir).filter(f => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length) { console.log(`${file}: YAML error ${doc.errors[0].message}`); failures++; continue; }
    const o = doc.toJS();
    if (o === null) continue;
    const where = `${file}: ${o.kind} ${o.metadata?.name}`;
    const mod = modules[o.apiVersion];
    if (!mod) { console.log(`${where}: apiVersion ${o.apiVersion} not checked here`); failures++; continue; }
    const Model = (await import(`kubernetes-models/${mod}/${o.kind}`))[o.kind];
    try {
      new Model(o).validate();
      console.log(`${where}: schema OK`);
    } catch (e) {
      console.log(`${where}: schema error ${e.message}`); failures++;
    }
    ts += `import { I${o.kind} as T${n} } from "kubernetes-models/${mod}/${o.kind}";\n`
        + `// ${where}\nexport const d${n}: T${n} = ${JSON.stringify(o, null, 1)};\n`;
    n++;
  }
}
writeFileSync(join(work, "manifests.ts"), ts);
try {
  execFileSync(join(work, "node_modules/.bin/tsc"), ["--noEmit", "--strict", "--moduleResolution", "node",
    "--module", "commonjs", "--target", "es2020", "--skipLibCheck", join(work, "manifests.ts")], { stdio: "pipe" });
  console.log(`field names: OK (${n} documents)`);
} catch (e) {
  console.log(`field names: errors\n${e.stdout}`); failures++;
}
process.exit(failures ? 1 : 0);
