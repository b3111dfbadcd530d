"""Validates Kubernetes manifests offline, for the chart tests.

Built-in kinds are checked with kubernetes-validate's bundled schemas for one pinned Kubernetes version, in
strict mode (unknown fields are errors). Custom resources are checked against the openAPIV3Schema of their
CustomResourceDefinition, read from the CRD files given with --crd, also rejecting unknown fields the way the
API server's strict field validation does; their metadata is checked as a Kubernetes ObjectMeta.

Usage: validate-manifests.py --kubernetes-version 1.33 [--crd FILE]... MANIFEST... ('-' reads stdin)
Prints one JSON array: {source, apiVersion, kind, name, status: ok|invalid|no-schema, errors: [...]}.
Exits 0 when it could run, whatever it found: the caller decides what to accept.
"""

import argparse
import json
import sys

import importlib_resources
import jsonschema
import kubernetes_validate
import yaml
from referencing import Registry, Resource

DEFINITIONS_ID = "https://kubernetes.io/api/_definitions.json"
OBJECT_META = DEFINITIONS_ID + "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def load_documents(path):
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    return [doc for doc in yaml.safe_load_all(text) if doc]


def structural_to_json_schema(node, top_level=False):
    """Turns a CRD's structural OpenAPI v3 schema into a JSON Schema that rejects unknown fields."""
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {name: structural_to_json_schema(child) for name, child in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = structural_to_json_schema(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [structural_to_json_schema(child) for child in value]
        elif key.startswith("x-kubernetes-") or key in ("nullable", "description", "format"):
            continue
        else:
            out[key] = value
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    closed = not node.get("x-kubernetes-preserve-unknown-fields")
    if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out and closed:
        out["additionalProperties"] = False
    if top_level:
        out.setdefault("properties", {})["metadata"] = {"$ref": OBJECT_META}
        out["required"] = sorted(set(out.get("required", [])) | {"apiVersion", "kind", "metadata"})
    return out


def load_crd_schemas(crd_files):
    """Maps (group/version, kind) to the JSON Schema of every served version in the CRD files."""
    schemas = {}
    for path in crd_files:
        for crd in load_documents(path):
            if crd.get("kind") != "CustomResourceDefinition":
                continue
            spec = crd["spec"]
            for version in spec["versions"]:
                if not version.get("served", False):
                    continue
                api_version = "%s/%s" % (spec["group"], version["name"])
                schema = structural_to_json_schema(version["schema"]["openAPIV3Schema"], top_level=True)
                schemas[(api_version, spec["names"]["kind"])] = schema
    return schemas


def definitions_registry(kubernetes_version):
    folder = "v%s.0-local-strict" % kubernetes_version
    ref = importlib_resources.files("kubernetes_validate").joinpath("kubernetes-json-schema", folder, "_definitions.json")
    with importlib_resources.as_file(ref) as definitions_file:
        with open(definitions_file, encoding="utf-8") as handle:
            definitions = json.load(handle)
    return Resource.from_contents(definitions) @ Registry()


def error_messages(errors):
    return ["%s: %s" % ("/".join(str(part) for part in error.absolute_path) or "(root)", error.message) for error in errors]


def validate_document(doc, crd_schemas, registry, kubernetes_version):
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key in crd_schemas:
        validator = jsonschema.Draft202012Validator(crd_schemas[key], registry=registry)
        errors = sorted(validator.iter_errors(doc), key=lambda error: list(error.absolute_path))
        return ("invalid", error_messages(errors)) if errors else ("ok", [])
    try:
        kubernetes_validate.validate(doc, kubernetes_version, strict=True)
        return "ok", []
    except kubernetes_validate.SchemaNotFoundError:
        return "no-schema", []
    except kubernetes_validate.ValidationError as error:
        return "invalid", error_messages([error])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubernetes-version", required=True)
    parser.add_argument("--crd", action="append", default=[], help="a CRD file; repeatable")
    parser.add_argument("manifests", nargs="+")
    args = parser.parse_args()

    crd_schemas = load_crd_schemas(args.crd)
    registry = definitions_registry(args.kubernetes_version)
    results = []
    for path in args.manifests:
        for doc in load_documents(path):
            status, errors = validate_document(doc, crd_schemas, registry, args.kubernetes_version)
            results.append({
                "source": path,
                "apiVersion": doc.get("apiVersion"),
                "kind": doc.get("kind"),
                "name": (doc.get("metadata") or {}).get("name"),
                "status": status,
                "errors": errors,
            })
    json.dump(results, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
