// Validates Istio resources with the validators the npm package @kubernetes-models/istio compiles
// (ajv) from Istio's published CRDs (crd-all.gen.yaml), and reports the fields those schemas do
// not declare: the compiled validators, like the CRDs, accept unknown fields, which the API server
// prunes silently. A field counts as declared when giving it a value of the wrong type makes the
// validator fail at that field.
//
// usage: node istio_validate.mjs <node_modules folder> < [{"name": ..., "object": {...}}, ...]
// prints {"<name>": {"errors": [...], "undeclared": ["/spec/..."]}, ...}
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules] = process.argv.slice(2);
const SCHEMAS = join(modules, "@kubernetes-models", "istio", "_schemas");

function validatorFile(apiVersion, kind) {
  const [group, version] = apiVersion.split("/");
  const words = [...group.split(".").map((w) => w[0].toUpperCase() + w.slice(1)), version[0].toUpperCase() + version.slice(1), kind];
  return join(SCHEMAS, words.join("") + ".js");  // networking.istio.io/v1 Gateway -> NetworkingIstioIoV1Gateway.js
}

function pointer(path) {
  return path.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

function fields(value, path = []) {
  if (Array.isArray(value)) return value.flatMap((item, i) => fields(item, [...path, i]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => [[...path, key], ...fields(item, [...path, key])]);
}

function withValue(object, path, value) {
  const copy = structuredClone(object);
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step];
  node[path[path.length - 1]] = value;
  return copy;
}

const cases = JSON.parse(readFileSync(0, "utf8"));
const report = {};
for (const { name, object } of cases) {
  const { validate } = await import(pathToFileURL(validatorFile(object.apiVersion, object.kind)).href);
  const errors = validate(object) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
  const undeclared = [];
  for (const path of fields(object)) {
    const current = path.reduce((node, step) => node[step], object);
    const probe = typeof current === "boolean" ? [[]] : true;
    const at = pointer(path);
    const failedThere = !validate(withValue(object, path, probe)) &&
      validate.errors.some((e) => e.instancePath === at || e.instancePath.startsWith(at + "/"));
    if (!failedThere) undeclared.push(at);
  }
  report[name] = { errors, undeclared };
}
process.stdout.write(JSON.stringify(report));
