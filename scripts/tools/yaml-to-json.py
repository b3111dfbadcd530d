"""Prints the YAML documents of the given files ('-' for stdin) as one JSON array, empty documents left out.

The chart tests read manifests through this (PyYAML from the validator venv), so the repository needs no YAML
package of its own.
"""

import json
import sys

import yaml


def main():
    documents = []
    for path in sys.argv[1:]:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        documents.extend(doc for doc in yaml.safe_load_all(text) if doc is not None)
    json.dump(documents, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
