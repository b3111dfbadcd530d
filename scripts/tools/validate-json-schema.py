"""Validates one YAML or JSON document against a JSON Schema (draft 7), e.g. skaffold.yaml against skaffold's schema.

Usage: validate-json-schema.py SCHEMA.json DOCUMENT.yaml
Prints a JSON array of error messages (empty when valid), each with the path of the offending value. For a value
that matched none of an anyOf's branches, the messages come from the branch whose error lies deepest in the
document: the branch that matched the most of it.
"""

import json
import sys

import jsonschema
import yaml


def leaves(error):
    if not error.context:
        return [error]
    return [leaf for child in error.context for leaf in leaves(child)]


def deepest(error):
    candidates = leaves(error)
    depth = max(len(leaf.absolute_path) for leaf in candidates)
    return [leaf for leaf in candidates if len(leaf.absolute_path) == depth]


def main():
    schema_path, document_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    with open(document_path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    validator = jsonschema.Draft7Validator(schema)
    messages = []
    for error in validator.iter_errors(document):
        for leaf in deepest(error):
            path = "/".join(str(part) for part in leaf.absolute_path) or "(root)"
            message = "%s: %s" % (path, leaf.message)
            if message not in messages:
                messages.append(message)
    json.dump(messages, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
